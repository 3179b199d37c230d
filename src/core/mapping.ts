/**
 * Mapping between our fields and the API's parameters. Pure: no I/O.
 */
import { fieldOf } from '../model/diff';
import { withoutUnset, sortedByKey } from '../model/records';

import type { ApiFlowLog, ApiTag, CreateFlowlogRequest } from '../transport/types';
import { FlowlogOutputs, FlowlogStatus, INPUT_FIELDS, NormalizedInputs } from '../model/model';
import { isSystemTagKey } from '../model/facts';

// Tags are data: own entries only (Object.entries, Object.fromEntries, Map), never `k in tags`
// or `tags[k]`, so keys named `constructor`, `toString` or `__proto__` are ordinary keys.

export const tagsToApi = (tags: Record<string, string>): ApiTag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/**
 * The flow log's own tags, sorted by key as checked inputs are, without the platform's system tags
 * (they are nobody's to declare).
 */
export function tagsFromApi(tags: readonly ApiTag[] | undefined): Record<string, string> {
  return sortedByKey((tags ?? []).filter((t) => !isSystemTagKey(t.Key)).map((t) => [t.Key, t.Value ?? ''] as const));
}

/**
 * What turns the `current` tags into the `desired` ones: keys to untag, and tags to add or
 * change. System tags are on neither side: the platform's, never untagged or tagged.
 */
export function tagChanges(
  current: Record<string, string>,
  desired: Record<string, string>,
): { removed: string[]; upserted: Record<string, string> } {
  const own = (tags: Record<string, string>): Map<string, string> => new Map(Object.entries(tags).filter(([k]) => !isSystemTagKey(k)));
  const have = own(current);
  const want = own(desired);
  return {
    removed: [...have.keys()].filter((k) => !want.has(k)),
    upserted: Object.fromEntries([...want].filter(([k, v]) => !have.has(k) || have.get(k) !== v)),
  };
}

/**
 * CreateFlowlog's parameters; tags go in the create call itself, never a second
 * TagResources. The ClientToken is added by the retrying client (retry.ts).
 */
export function toCreateRequest(inputs: NormalizedInputs): CreateFlowlogRequest {
  const tags = tagsToApi(inputs.tags);
  return withoutUnset({
    RegionId: inputs.regionId,
    CenId: inputs.cenId,
    TransitRouterId: inputs.transitRouterId,
    TransitRouterAttachmentId: inputs.transitRouterAttachmentId,
    ProjectName: inputs.projectName,
    LogStoreName: inputs.logStoreName,
    FlowLogName: inputs.flowLogName,
    Description: inputs.description,
    Interval: inputs.interval,
    LogFormatString: inputs.logFormatString,
    Tags: tags.length > 0 ? tags : undefined,
  });
}

const orUndefined = (v: string | undefined): string | undefined => (v === undefined || v === '' ? undefined : v);

/** Outputs: every input as the service reports it, plus the computed fields. */
export function toOutputs(flowLog: ApiFlowLog, inputs: NormalizedInputs): FlowlogOutputs {
  const outputs = {
    regionId: flowLog.RegionId || inputs.regionId,
    cenId: flowLog.CenId || inputs.cenId,
    transitRouterId: flowLog.TransitRouterId || inputs.transitRouterId,
    transitRouterAttachmentId: orUndefined(flowLog.TransitRouterAttachmentId),
    projectName: flowLog.ProjectName || inputs.projectName,
    logStoreName: flowLog.LogStoreName || inputs.logStoreName,
    flowLogName: orUndefined(flowLog.FlowLogName),
    description: orUndefined(flowLog.Description),
    interval: flowLog.Interval ?? inputs.interval ?? 600,
    logFormatString: flowLog.LogFormatString || inputs.logFormatString || '',
    tags: tagsFromApi(flowLog.Tags),
    status: (flowLog.Status ?? inputs.status) as FlowlogStatus,
    timeouts: inputs.timeouts,
    adopt: inputs.adopt,
    flowLogId: flowLog.FlowLogId,
    creationTime: flowLog.CreationTime ?? '',
    flowLogVersion: flowLog.FlowLogVersion ?? '',
  } satisfies FlowlogOutputs;
  return withoutUnset(outputs);
}

/**
 * The inputs a refresh records: the service's view of every input field, so the
 * next preview shows real drift and nothing else.
 */
export function inputsFromOutputs(outputs: FlowlogOutputs): Record<string, unknown> {
  return withoutUnset(Object.fromEntries(INPUT_FIELDS.map((f) => [f, fieldOf(outputs, f)])));
}
