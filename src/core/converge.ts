/**
 * Bringing a live flow log to the declared in-place fields with only the calls
 * the difference needs, then waiting for the *desired* status (an Inactive
 * flow log is never waited on for Active).
 */
import type { ApiFlowLog } from '../transport/types';
import { diffFlowlog } from '../model/diff';
import { FlowlogOutputs, NormalizedInputs } from '../model/model';
import { tagChanges, tagsToApi, toOutputs } from './mapping';
import type { Session } from './session';

const TRANSITIONAL = new Set(['Creating', 'Modifying', 'Deleting']);

/** Waits out a transition in progress (a create recorded mid-way, a Modifying) before writing. */
export async function settle(s: Session, live: ApiFlowLog, inputs: NormalizedInputs): Promise<ApiFlowLog> {
  if (!TRANSITIONAL.has(live.Status ?? '')) return live;
  return s.waitFor(inputs, live.FlowLogId, 'Settled');
}

export async function applyInPlace(s: Session, live: ApiFlowLog, inputs: NormalizedInputs): Promise<FlowlogOutputs> {
  const current = toOutputs(live, inputs);
  const { updates } = diffFlowlog(current, inputs);
  const ref = { RegionId: inputs.regionId, CenId: inputs.cenId, FlowLogId: live.FlowLogId };
  const changed = new Set(updates);

  const modify = changed.has('flowLogName') || changed.has('description') || changed.has('interval');
  if (modify) {
    await s.api.modifyFlowLogAttribute({
      ...ref,
      ...(changed.has('flowLogName') ? { FlowLogName: inputs.flowLogName ?? '' } : {}),
      ...(changed.has('description') ? { Description: inputs.description ?? '' } : {}),
      ...(changed.has('interval') ? { Interval: inputs.interval } : {}),
    });
  }
  if (changed.has('tags')) {
    const { removed, upserted } = tagChanges(current.tags, inputs.tags);
    if (removed.length > 0) await s.api.untagResources({ RegionId: inputs.regionId, ResourceIds: [live.FlowLogId], TagKeys: removed });
    if (Object.keys(upserted).length > 0)
      await s.api.tagResources({ RegionId: inputs.regionId, ResourceIds: [live.FlowLogId], Tags: tagsToApi(upserted) });
  }
  if (changed.has('status')) {
    // ModifyFlowLogAttribute is asynchronous: the flow log is Modifying, and refuses writes, until it is done.
    if (modify) await s.waitFor(inputs, live.FlowLogId, 'Settled', 'modify');
    const call = inputs.status === 'Inactive' ? s.api.deactiveFlowLog : s.api.activeFlowLog;
    await call.call(s.api, ref);
  }
  const kind = changed.has('status') ? 'status' : modify ? 'modify' : undefined;
  const final = changed.size > 0 ? await s.waitFor(inputs, live.FlowLogId, inputs.status, kind) : live;
  return toOutputs(final, inputs);
}
