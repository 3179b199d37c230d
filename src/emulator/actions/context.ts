/** What every action handler receives, and lookups shared by the write actions. */
import type { Store, FlowLogRecord } from '../store';
import { isTransitional } from '../store';
import type { CenInstance, DefaultLogFormat, DeleteWithoutLogStore, Topology, TransitRouter, TransitRouterAttachment } from '../types';
import { ApiError } from '../errors';
import { required, type Params } from '../validate';

export interface AccountIndex {
  topology: Topology;
  cens: Map<string, CenInstance>;
  transitRouters: Map<string, TransitRouter>;
  attachments: Map<string, TransitRouterAttachment>;
}

export function indexTopology(topology: Topology): AccountIndex {
  return {
    topology,
    cens: new Map(topology.cens.map((c) => [c.cenId, c])),
    transitRouters: new Map(topology.transitRouters.map((t) => [t.transitRouterId, t])),
    attachments: new Map(topology.attachments.map((a) => [a.attachmentId, a])),
  };
}

export interface ActionContext {
  /** Business parameters only (the gateway's own parameters removed). */
  params: Params;
  store: Store;
  account: AccountIndex;
  delays: { createMs: number; modifyMs: number; modifyAttributeMs: number; deleteMs: number };
  defaultLogFormat: DefaultLogFormat;
  deleteWithoutLogStore: DeleteWithoutLogStore;
  now: () => number;
}

export type ActionResult = Record<string, unknown>;

export interface ActionSpec {
  handler(ctx: ActionContext): ActionResult;
  /** Changes state: persisted afterwards, ClientToken applies. */
  mutates: boolean;
}

/** The flow log a write names: must exist in RegionId (and CenId, if given). */
export function targetFlowLog(ctx: ActionContext): FlowLogRecord {
  const regionId = required(ctx.params, 'RegionId');
  const id = required(ctx.params, 'FlowLogId');
  const rec = ctx.store.get(id);
  const cenId = ctx.params.CenId;
  if (!rec || rec.regionId !== regionId || (cenId && rec.cenId !== cenId)) {
    throw new ApiError('InvalidFlowlogId.NotFound', `No flow log ${id} in ${regionId}${cenId ? ` and ${cenId}` : ''}.`);
  }
  return rec;
}

/** Writes are refused while a flow log is Creating, Modifying or Deleting. */
export function assertSettled(rec: FlowLogRecord): void {
  if (!isTransitional(rec)) return;
  const code = rec.transitRouterAttachmentId ? 'IncorrectStatus.flowlog' : 'IncorrectStatus.TrFlowlog';
  throw new ApiError(code, `Flow log ${rec.flowLogId} is ${rec.stuck ?? rec.transition?.status}; retry when it is Active or Inactive.`);
}
