/** The emulated service behind the gateway: runs actions over the store, persists, and admin changes. */
import { ACTIONS, indexTopology, type AccountIndex, type ActionContext } from './actions';
import { FLOW_LOG_VERSION, newFlowLogId } from './actions/create';
import { ApiError } from './errors';
import { ClientTokens } from './idempotency';
import { loadState, removeStaleTemps, saveState } from './persistence';
import { Store, toView, type TransitionalStatus } from './store';
import type { FlowLogPatch, FlowLogView, Topology, TransitRouter } from './types';
import { DEFAULT_LOG_FORMAT, checkInterval, checkText, type Params } from './validate';
import { isSystemTagKey } from '../model/facts';

const TRANSITIONAL = new Set(['Creating', 'Modifying', 'Deleting']);

/** The most flow logs one admin `seed` may store (memory and state-file size stay sane). */
export const MAX_SEED = 100_000;

export interface ServiceOptions {
  topology: Topology;
  delays: ActionContext['delays'];
  defaultLogFormat?: ActionContext['defaultLogFormat'];
  deleteWithoutLogStore?: ActionContext['deleteWithoutLogStore'];
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
    if (options.stateFile) removeStaleTemps(options.stateFile);
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
    return this.transact(
      () => {
        const result = spec.handler(this.context(params));
        this.tokens.remember(action, accessKeyId, params, result);
        return result;
      },
      () => this.tokens.forget(action, accessKeyId, params),
    );
  }

  /**
   * Apply a change and save it before anyone hears of it. If anything fails (the change or
   * the save), the change is rolled back, so an answered write is durable and an error means
   * nothing happened: a retry really retries.
   */
  private transact<T>(change: () => T, undo: () => void = () => undefined): T {
    if (!this.options.stateFile) return change();
    const before = this.store.snapshot();
    let result: T;
    try {
      result = change();
    } catch (err) {
      if (err instanceof ApiError && err.committed) {
        this.persist();
        throw err;
      }
      this.store.restore(before);
      undo();
      throw err;
    }
    try {
      this.persist();
    } catch (err) {
      this.store.restore(before);
      undo();
      throw new ApiError('ServiceUnavailable', `(emulator: the change was not saved and was undone: ${(err as Error).message})`);
    }
    return result;
  }

  private context(params: Params): ActionContext {
    return {
      params,
      store: this.store,
      account: this.account,
      delays: this.options.delays,
      now: this.now,
      defaultLogFormat: this.options.defaultLogFormat ?? 'fill',
      deleteWithoutLogStore: this.options.deleteWithoutLogStore ?? 'remove',
    };
  }

  persist(): void {
    if (!this.options.stateFile) return;
    saveState(this.options.stateFile, {
      flowLogs: this.store.records(),
      projects: [...this.store.projects.values()],
      clientTokens: this.tokens.toJSON(),
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
    this.transact(() => {
      this.mustGet(flowLogId).stuck = stuck as TransitionalStatus;
    });
  }

  unstick(flowLogId: string): void {
    this.mustGet(flowLogId);
    this.transact(() => {
      this.mustGet(flowLogId).stuck = undefined;
    });
  }

  unstickAll(): void {
    if (!this.store.records().some((rec) => rec.stuck !== undefined)) return;
    this.transact(() => {
      for (const rec of this.store.records()) rec.stuck = undefined;
    });
  }

  /** An out-of-band change, as another tool or the console would make it (drift). */
  update(flowLogId: string, patch: FlowLogPatch): FlowLogView {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      throw new TypeError('Expected a JSON object of fields to change');
    this.mustGet(flowLogId);
    return this.transact(() => this.applyPatch(flowLogId, patch as Record<string, unknown>));
  }

  private applyPatch(flowLogId: string, p: Record<string, unknown>): FlowLogView {
    const rec = this.mustGet(flowLogId);
    const has = (k: string): boolean => Object.hasOwn(p, k);
    const str = (k: string): string | undefined => (p[k] === undefined ? undefined : String(p[k]));
    if (has('FlowLogName')) rec.flowLogName = checkText('FlowLogName', str('FlowLogName'));
    if (has('Description')) rec.description = checkText('Description', str('Description'));
    if (has('Interval')) rec.interval = checkInterval(str('Interval')) ?? rec.interval;
    if (has('ProjectName')) rec.projectName = String(p.ProjectName);
    if (has('LogStoreName')) rec.logStoreName = String(p.LogStoreName);
    if (has('LogFormatString')) rec.logFormatString = String(p.LogFormatString);
    if (has('Status')) {
      if (p.Status !== 'Active' && p.Status !== 'Inactive')
        throw new TypeError(`Expected Status to be Active or Inactive, got ${String(p.Status)}`);
      rec.status = p.Status;
      rec.transition = undefined;
    }
    if (has('Tags')) {
      if (!Array.isArray(p.Tags)) throw new TypeError('Expected Tags to be an array of {Key, Value}');
      rec.tags = (p.Tags as Array<Record<string, unknown>>).map((t) => ({ Key: String(t.Key), Value: String(t.Value ?? '') }));
    }
    return toView(rec);
  }

  /**
   * The platform's own tags on a flow log (`acs:…`, `aliyun…`), as the live service puts them:
   * past the user-facing tag rules, which refuse such keys in TagResources and UntagResources.
   * Sets the flow log's system tags to exactly `tags`; its user tags are left as they are.
   */
  setSystemTags(flowLogId: string, tags: unknown): FlowLogView {
    if (!Array.isArray(tags)) throw new TypeError('Expected Tags to be an array of {Key, Value}');
    const system = tags.map((t: unknown, i) => {
      const { Key, Value } = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
      if (typeof Key !== 'string' || !isSystemTagKey(Key))
        throw new TypeError(
          `Expected Tags[${i}].Key to be a system tag key (starting with aliyun, acs:, http:// or https://), got ${JSON.stringify(Key)}; user tags go through TagResources`,
        );
      return { Key, Value: Value === undefined ? '' : String(Value) };
    });
    this.mustGet(flowLogId);
    return this.transact(() => {
      const rec = this.mustGet(flowLogId);
      rec.tags = [...rec.tags.filter((t) => !isSystemTagKey(t.Key)), ...system];
      return toView(rec);
    });
  }

  /** Removes a Log Service project (every Logstore in it) out of band; its flow logs stay. */
  removeProject(projectName: string): boolean {
    return this.transact(() => this.store.removeProject(projectName));
  }

  /** Removes one Logstore out of band; its flow logs stay. */
  removeLogStore(projectName: string, logStoreName: string): boolean {
    return this.transact(() => this.store.removeLogStore(projectName, logStoreName));
  }

  remove(flowLogId: string): boolean {
    if (!this.store.get(flowLogId)) return false;
    return this.transact(() => this.store.remove(flowLogId));
  }

  /** Store `count` Active flow logs on synthetic attachments (bench and scale tests). */
  seed(count: number): string[] {
    if (!Number.isInteger(count) || count < 0 || count > MAX_SEED) {
      throw new TypeError(`Expected \`count\` to be an integer from 0 to ${MAX_SEED}, got ${String(count).slice(0, 40)}`);
    }
    const tr = this.account.topology.transitRouters.find((t) => t.edition === 'Enterprise');
    if (!tr) throw new TypeError('The topology has no Enterprise transit router to seed flow logs on');
    return this.transact(() => this.insertSeeds(count, tr));
  }

  private insertSeeds(count: number, tr: TransitRouter): string[] {
    const ids: string[] = [];
    const creationTime = new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (let i = 0; i < count; i++) {
      const flowLogId = newFlowLogId();
      this.store.insert({
        flowLogId,
        cenId: tr.cenId,
        regionId: tr.regionId,
        projectName: 'emu-seed-project',
        logStoreName: 'emu-seed-logstore',
        interval: 600,
        logFormatString: this.options.defaultLogFormat === 'empty' ? '' : DEFAULT_LOG_FORMAT,
        flowLogVersion: FLOW_LOG_VERSION,
        transitRouterId: tr.transitRouterId,
        transitRouterAttachmentId: `tr-attach-seed${flowLogId.slice(8)}`,
        creationTime,
        tags: [],
        status: 'Active',
      });
      ids.push(flowLogId);
    }
    return ids;
  }

  views(): FlowLogView[] {
    return this.store.all().map(toView);
  }
}
