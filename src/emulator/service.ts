/** The emulated service behind the gateway: runs actions over the store, persists, and admin changes. */
import { ACTIONS, indexTopology, type AccountIndex, type ActionContext } from './actions';
import { FLOW_LOG_VERSION, newFlowLogId } from './actions/create';
import { ApiError } from './errors';
import { ClientTokens } from './idempotency';
import { loadState, saveState } from './persistence';
import { Store, toView, type TransitionalStatus } from './store';
import type { FlowLogPatch, FlowLogView, Topology } from './types';
import { DEFAULT_LOG_FORMAT, checkInterval, checkText, type Params } from './validate';

const TRANSITIONAL = new Set(['Creating', 'Modifying', 'Deleting']);

export interface ServiceOptions {
  topology: Topology;
  delays: ActionContext['delays'];
  stateFile?: string;
  now?: () => number;
}

export class Service {
  readonly store: Store;
  readonly account: AccountIndex;
  private readonly tokens: ClientTokens;
  private readonly now: () => number;

  constructor(private readonly options: ServiceOptions) {
    this.now = options.now ?? Date.now;
    this.store = new Store(this.now);
    this.account = indexTopology(options.topology);
    for (const p of options.topology.projects) this.store.addProject(p);
    const saved = options.stateFile ? loadState(options.stateFile) : undefined;
    for (const p of saved?.projects ?? []) this.store.addProject(p);
    for (const rec of saved?.flowLogs ?? []) this.store.insert(rec);
    this.tokens = new ClientTokens(saved?.clientTokens);
  }

  /** Run one action (the caller has checked it exists); ClientToken replays the first answer. */
  run(action: string, params: Params, accessKeyId: string): Record<string, unknown> {
    const spec = ACTIONS[action]!;
    if (!spec.mutates) return spec.handler(this.context(params));
    const replay = this.tokens.replay(action, accessKeyId, params);
    if (replay) return replay;
    const result = spec.handler(this.context(params));
    this.tokens.remember(action, accessKeyId, params, result);
    this.persist();
    return result;
  }

  private context(params: Params): ActionContext {
    return { params, store: this.store, account: this.account, delays: this.options.delays, now: this.now };
  }

  persist(): void {
    if (!this.options.stateFile) return;
    saveState(this.options.stateFile, {
      flowLogs: this.store.records(), projects: [...this.store.projects.values()], clientTokens: this.tokens.toJSON(),
    });
  }

  private mustGet(flowLogId: string) {
    const rec = this.store.get(flowLogId);
    if (!rec) throw new ApiError('InvalidFlowlogId.NotFound', `No flow log ${flowLogId}.`);
    return rec;
  }

  stick(flowLogId: string, status?: string): void {
    const rec = this.mustGet(flowLogId);
    const stuck = status ?? rec.transition?.status ?? 'Modifying';
    if (!TRANSITIONAL.has(stuck)) throw new TypeError(`Expected status to be Creating, Modifying or Deleting, got ${stuck}`);
    rec.stuck = stuck as TransitionalStatus;
    this.persist();
  }

  unstick(flowLogId: string): void {
    const rec = this.mustGet(flowLogId);
    rec.stuck = undefined;
    this.persist();
  }

  unstickAll(): void {
    const stuck = this.store.records().filter((rec) => rec.stuck !== undefined);
    for (const rec of stuck) rec.stuck = undefined;
    if (stuck.length > 0) this.persist();
  }

  /** An out-of-band change, as another tool or the console would make it (drift). */
  update(flowLogId: string, patch: FlowLogPatch): FlowLogView {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new TypeError('Expected a JSON object of fields to change');
    const rec = this.mustGet(flowLogId);
    const p = patch as Record<string, unknown>;
    const str = (k: string): string | undefined => (p[k] === undefined ? undefined : String(p[k]));
    if ('FlowLogName' in p) rec.flowLogName = checkText('FlowLogName', str('FlowLogName'));
    if ('Description' in p) rec.description = checkText('Description', str('Description'));
    if ('Interval' in p) rec.interval = checkInterval(str('Interval')) ?? rec.interval;
    if ('ProjectName' in p) rec.projectName = String(p.ProjectName);
    if ('LogStoreName' in p) rec.logStoreName = String(p.LogStoreName);
    if ('LogFormatString' in p) rec.logFormatString = String(p.LogFormatString);
    if ('Status' in p) {
      if (p.Status !== 'Active' && p.Status !== 'Inactive') throw new TypeError(`Expected Status to be Active or Inactive, got ${String(p.Status)}`);
      rec.status = p.Status;
      rec.transition = undefined;
    }
    if ('Tags' in p) {
      if (!Array.isArray(p.Tags)) throw new TypeError('Expected Tags to be an array of {Key, Value}');
      rec.tags = (p.Tags as Array<Record<string, unknown>>).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));
    }
    this.persist();
    return toView(rec);
  }

  remove(flowLogId: string): boolean {
    const removed = this.store.remove(flowLogId);
    if (removed) this.persist();
    return removed;
  }

  /** Store `count` Active flow logs on synthetic attachments (bench and scale tests). */
  seed(count: number): string[] {
    if (!Number.isInteger(count) || count < 0) throw new TypeError(`Expected count to be a non-negative integer, got ${count}`);
    const tr = this.account.topology.transitRouters.find((t) => t.edition === 'Enterprise');
    if (!tr) throw new TypeError('The topology has no Enterprise transit router to seed flow logs on');
    const ids: string[] = [];
    const creationTime = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (let i = 0; i < count; i++) {
      const flowLogId = newFlowLogId();
      this.store.insert({
        flowLogId, cenId: tr.cenId, regionId: tr.regionId, projectName: 'emu-seed-project', logStoreName: 'emu-seed-logstore',
        interval: 600, logFormatString: DEFAULT_LOG_FORMAT, flowLogVersion: FLOW_LOG_VERSION,
        transitRouterId: tr.transitRouterId, transitRouterAttachmentId: `tr-attach-seed${flowLogId.slice(8)}`,
        creationTime, tags: [], status: 'Active',
      });
      ids.push(flowLogId);
    }
    this.persist();
    return ids;
  }

  views(): FlowLogView[] {
    return this.store.all().map(toView);
  }
}
