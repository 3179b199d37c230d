/**
 * Adoption: dynamic resources cannot be `pulumi import`ed, so `adopt` takes over
 * an existing flow log, by id or by finding the one on the declared transit
 * router or attachment, after verifying that its replace-on-change fields match.
 */
import type { ApiFlowLog } from '../transport/types';
import { fieldChanged, fieldOf } from '../model/diff';
import { REPLACE_FIELDS, NormalizedInputs } from '../model/model';
import { toOutputs } from './mapping';
import type { Session } from './session';
import { describeAll } from '../waiting/pages';
import { FlowlogAdoptionError, FlowlogAlreadyExistsError } from '../errors';

const where = (inputs: NormalizedInputs): string =>
  inputs.transitRouterAttachmentId
    ? `attachment ${inputs.transitRouterAttachmentId} of transit router ${inputs.transitRouterId}`
    : `transit router ${inputs.transitRouterId} (as a whole)`;

/** The flow log on the declared location: the whole transit router, or the attachment. */
export async function findOnLocation(s: Session, inputs: NormalizedInputs): Promise<ApiFlowLog | undefined> {
  const found = await describeAll(s.api, {
    RegionId: inputs.regionId,
    CenId: inputs.cenId,
    TransitRouterId: inputs.transitRouterId,
    ...(inputs.transitRouterAttachmentId ? { TransitRouterAttachmentId: inputs.transitRouterAttachmentId } : {}),
  });
  return found.find(
    (f) =>
      (f.TransitRouterAttachmentId || undefined) === inputs.transitRouterAttachmentId &&
      (!f.TransitRouterId || f.TransitRouterId === inputs.transitRouterId),
  );
}

export async function adoptExisting(s: Session, inputs: NormalizedInputs): Promise<ApiFlowLog> {
  const byId = typeof inputs.adopt === 'string' ? inputs.adopt : undefined;
  const found = byId ? await s.describe(inputs.regionId, inputs.cenId, byId) : await findOnLocation(s, inputs);
  if (!found) {
    throw new FlowlogAdoptionError(
      byId
        ? `adopt: no flow log ${byId} exists in ${inputs.regionId} (CEN ${inputs.cenId}). Check the id, or remove \`adopt\` to create a new flow log.`
        : `adopt: no flow log exists on ${where(inputs)} in ${inputs.regionId}. Remove \`adopt\` to create one.`,
    );
  }
  const actual = toOutputs(found, inputs);
  const mismatches = REPLACE_FIELDS.filter((f) => fieldChanged(f, actual, inputs)).map(
    (f) => `${f}: declared ${JSON.stringify(fieldOf(inputs, f) ?? null)}, flow log has ${JSON.stringify(fieldOf(actual, f) ?? null)}`,
  );
  if (mismatches.length > 0) {
    throw new FlowlogAdoptionError(
      `adopt: flow log ${found.FlowLogId} does not match the declared fields that cannot be changed in place (${mismatches.join('; ')}). Declare the flow log's values to adopt it, or remove \`adopt\` and delete it first.`,
    );
  }
  return found;
}

const CONFLICT_CODES = new Set(['Flowlog.AlreayExist', 'InvalidFlowlogId.exist']);

/** For a create refused because a flow log is already there: an error that names it and how to adopt it. */
export async function describeExistingConflict(s: Session, inputs: NormalizedInputs, err: unknown): Promise<Error | undefined> {
  const code = (err as { code?: string }).code;
  if (!code || !CONFLICT_CODES.has(code)) return undefined;
  const existing = await findOnLocation(s, inputs).catch(() => undefined);
  const id = existing?.FlowLogId;
  const message = id
    ? `A flow log already exists on ${where(inputs)}: ${id} (the service allows one there). To manage it with this resource, set \`adopt: "${id}"\` (or \`adopt: true\`); or delete it first. [${code}]`
    : `A flow log already exists on ${where(inputs)} (the service allows one there). Set \`adopt: true\` to take it over, or delete it first. [${code}]`;
  return new FlowlogAlreadyExistsError(id, message, err);
}
