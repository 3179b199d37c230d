/**
 * The provider implementation: thin orchestration of check, diff, the API
 * client, retries and waiting.
 *
 *   check  → checkInputs (pure)                          no API call
 *   diff   → diffFlowlog (pure)                          no API call
 *   create → CreateFlowlog (one ClientToken for every retry, set by session.api), wait Active,
 *            DeactiveFlowLog + wait Inactive when status is "Inactive";
 *            an answer lost with the outcome unknown → DescribeFlowlogs on the location,
 *            and a flow log found there is recorded (partial failure), never orphaned;
 *            with `adopt`: DescribeFlowlogs, verify, converge in place
 *   read   → DescribeFlowlogs through the CEN's status loop; gone → {} so refresh drops it
 *   update → settle, ModifyFlowLogAttribute (asynchronous: wait while Modifying before
 *            a status call), UntagResources/TagResources (the difference),
 *            ActiveFlowLog/DeactiveFlowLog, wait for the desired status
 *   delete → DeleteFlowlog, wait until gone; already gone is success; refused because the
 *            SLS project or Logstore is gone → DescribeFlowlogs: not listed is success,
 *            still listed fails at once (never recorded gone while the service lists it)
 *
 * Once a flow log exists, any later failure throws a partial-failure error
 * (id, properties with __provider, reasons) so the engine records it.
 */
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { checkInputs } from '../model/check';
import type { ApiFlowLog } from '../transport/types';
import { diffFlowlog } from '../model/diff';
import { timeoutMs } from '../model/duration';
import { DEFAULT_STATUS, FlowlogOutputs, NormalizedInputs, SERVICE_DEFAULTED_FIELDS } from '../model/model';
import { inputsFromOutputs, toCreateRequest, toOutputs } from './mapping';
import { withoutUnset } from '../model/records';
import { ConfigSource, ProviderSettings, readSettings } from './settings';
import { Clock, systemClock } from '../pacing/clock';
import { Session, SessionFactory, defaultSessionFactory } from './session';
import { adoptExisting, describeExistingConflict, findOnLocation } from './adopt';
import { mayHaveCommitted } from '../pacing/retry';
import { checkFilters, findFlowlogs, type GetFlowlogsResult } from './lookup';
import {
  FlowlogGoneError,
  FlowlogLogDestinationGoneError,
  FlowlogNotFoundError,
  FlowlogPartialError,
  OperationCancelledError,
} from '../errors';

import { applyInPlace, settle } from './converge';

/** The engine keeps the serialized provider under this key, beside every resource's inputs and outputs. */
export const PROVIDER_KEY = '__provider';
export type WithProvider<T> = T & { [PROVIDER_KEY]?: string };
/** What the engine hands the provider after check(), and what the provider records. */
type Inputs = WithProvider<NormalizedInputs>;
type Outputs = WithProvider<FlowlogOutputs>;
/** How long a read (refresh, import, getFlowlogs) may take, retries included. */
const READ_MS = 2 * 60_000;
/** How long the look for a create whose answer was lost may take, past the create's own deadline. */
const LANDED_LOOKUP_MS = 15_000;
/** CreationTime comes from the service's clock: allow this much skew against ours. */
const CLOCK_SKEW_MS = 5 * 60_000;
/**
 * DeleteFlowlog's answers when the flow log's Log Service project or Logstore was removed
 * first. Terraform takes them as "already deleted"; what the service lists afterwards is
 * undocumented, so the provider asks before it believes it.
 */
const LOG_DESTINATION_GONE = new Set(['ProjectOrLogstoreNotExist', 'SourceProjectNotExist']);

/** What a front door may say about one create, update or delete beyond the resource's inputs. */
export interface OperationOptions {
  /**
   * The operation's time budget in ms (Pulumi's `customTimeouts`, which reach a provider
   * plugin but never a dynamic provider); overrides the resource's `timeouts` for this operation.
   */
  timeoutMs?: number;
}

export interface ProviderDeps {
  /** Builds the API session (client, retries, poller) for one operation; tests inject a fake. */
  sessions?: SessionFactory;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /** Progress lines; the CLI shows a dynamic provider's stdout as info. */
  log?: (line: string) => void;
}

export class FlowlogProvider implements dynamic.ResourceProvider<Inputs, Outputs> {
  private config?: ConfigSource;
  private settings?: ProviderSettings;
  private readonly sessions: SessionFactory;
  private readonly clock: Clock;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: (line: string) => void;
  private readonly cancelled = new AbortController();

  constructor(deps: ProviderDeps = {}) {
    this.clock = deps.clock ?? systemClock;
    this.env = deps.env ?? process.env;
    this.log = deps.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.sessions = deps.sessions ?? defaultSessionFactory(this.clock, this.log);
  }

  /** Only stores: configure can race with the first calls, so settings are read lazily. */
  async configure(req: { config: ConfigSource }): Promise<void> {
    this.config = req.config;
    this.settings = undefined;
  }

  private currentSettings(): ProviderSettings {
    this.settings ??= readSettings(this.config, this.env);
    return this.settings;
  }

  /**
   * Ends every wait of this provider at once (the engine's Cancel, Ctrl-C); a flow log that
   * already exists is then recorded as a partial failure, as when a wait times out.
   */
  cancel(): void {
    this.cancelled.abort(new OperationCancelledError());
  }

  private session(
    op: 'create' | 'update' | 'delete' | 'read',
    timeouts: NormalizedInputs['timeouts'],
    opts: OperationOptions = {},
  ): Session {
    const budget = op === 'read' ? READ_MS : (opts.timeoutMs ?? timeoutMs(timeouts, op));
    return this.sessions(this.currentSettings(), this.clock.now() + budget, this.cancelled.signal);
  }

  /** `news` is whatever the program declared: anything at all, until check() has read it. */
  async check(_olds: unknown, news: unknown): Promise<dynamic.CheckResult<Inputs>> {
    let region: string | undefined;
    try {
      region = this.currentSettings().region;
    } catch {
      region = undefined; // a bad endpoint is reported by the first API call, with its own message
    }
    const declared = typeof news === 'object' && news !== null ? Object.fromEntries(Object.entries(news)) : {};
    const { inputs, failures } = checkInputs(declared, region);
    return { inputs, failures };
  }

  async diff(_id: string, olds: Outputs, news: Inputs): Promise<dynamic.DiffResult> {
    const { changes, replaces, stables, deleteBeforeReplace } = diffFlowlog(olds, news);
    return { changes, replaces, stables, deleteBeforeReplace };
  }

  async create(inputs: Inputs, opts: OperationOptions = {}): Promise<dynamic.CreateResult<Outputs>> {
    const props = inputs;
    const s = this.session('create', inputs.timeouts, opts);
    if (inputs.adopt !== undefined && inputs.adopt !== false) {
      const found = await adoptExisting(s, inputs);
      return this.guard(found.FlowLogId, props, found, async () => {
        const outs = await applyInPlace(s, await settle(s, found, inputs), inputs);
        return { id: found.FlowLogId, outs };
      });
    }
    // s.api gives this create one ClientToken and sends it on every retry (retry.ts: resilient).
    let flowLogId: string;
    const startedAt = this.clock.now();
    try {
      flowLogId = (await s.api.createFlowlog(toCreateRequest(inputs))).flowLogId;
    } catch (err) {
      if (mayHaveCommitted(err)) {
        const landed = await this.landedCreate(inputs, startedAt);
        if (landed) return this.guard(landed.FlowLogId, props, landed, () => Promise.reject(err));
      }
      throw (await describeExistingConflict(s, inputs, err)) ?? err;
    }
    return this.guard(flowLogId, props, undefined, async () => {
      let flowLog = await s.waitFor(inputs, flowLogId, 'Active', 'create');
      if (inputs.status === 'Inactive') {
        await s.api.deactiveFlowLog({ RegionId: inputs.regionId, CenId: inputs.cenId, FlowLogId: flowLogId });
        flowLog = await s.waitFor(inputs, flowLogId, 'Inactive', 'status');
      }
      return { id: flowLogId, outs: toOutputs(flowLog, inputs) };
    });
  }

  /**
   * After a create whose outcome is unknown (no answer, a timeout, a 5xx until
   * the deadline): the flow log this create made, if it is on its location.
   * Looked up with a short grace period of its own, since the create's deadline
   * may be spent; matched on the declared log destination and a creation time
   * after this create began, so another tool's flow log is never taken over.
   */
  private async landedCreate(inputs: NormalizedInputs, startedAt: number): Promise<ApiFlowLog | undefined> {
    const lookup = this.sessions(this.currentSettings(), this.clock.now() + LANDED_LOOKUP_MS, this.cancelled.signal);
    const found = await findOnLocation(lookup, inputs).catch(() => undefined);
    if (!found) return undefined;
    const created = Date.parse(found.CreationTime ?? '');
    const ours =
      found.ProjectName === inputs.projectName &&
      found.LogStoreName === inputs.logStoreName &&
      (Number.isNaN(created) || created >= startedAt - CLOCK_SKEW_MS);
    return ours ? found : undefined;
  }

  /**
   * With `previous` (refresh): the flow log as it is now, or `{}` when it is gone. Without it
   * (`pulumi import`, through the plugin): the flow log by id in the provider's region, with
   * inputs that make the next preview show no change; a missing one is an error, never `{}`.
   */
  async read(id: string, previous?: Outputs): Promise<dynamic.ReadResult<Outputs>> {
    if (!previous) return this.readById(id);
    const s = this.session('read', previous.timeouts);
    const flowLog = await s.describe(previous.regionId, previous.cenId, id);
    if (!flowLog) return {};
    const outs = toOutputs(flowLog, previous);
    // The SDK types ReadResult.inputs as Outputs; what the engine records there are the inputs.
    return { id, props: outs, inputs: inputsFromOutputs(outs) as unknown as Outputs };
  }

  private async readById(id: string): Promise<dynamic.ReadResult<Outputs>> {
    const regionId = this.currentSettings().region;
    if (regionId === undefined) throw new FlowlogNotFoundError(id, undefined);
    const flowLog = await this.session('read', undefined).describe(regionId, undefined, id);
    if (!flowLog) throw new FlowlogNotFoundError(id, regionId);
    const known = { regionId, cenId: '', transitRouterId: '', projectName: '', logStoreName: '', tags: {}, status: DEFAULT_STATUS };
    const outs = toOutputs(flowLog, known);
    // A service-filled value the declared rules refuse (the service's default log format lists the required
    // fields later) is left unset: unset keeps whatever the service has, so the next preview shows no change.
    const inputs = inputsFromOutputs(outs);
    const refused = new Set(checkInputs(inputs).failures.map((f) => f.property));
    for (const field of SERVICE_DEFAULTED_FIELDS) if (refused.has(field)) delete inputs[field];
    return { id, props: outs, inputs: inputs as unknown as Outputs };
  }

  /** getFlowlogs with this provider's settings: its region is the default filter, its budget paces the pages. */
  async getFlowlogs(args: unknown): Promise<GetFlowlogsResult> {
    const filters = checkFilters(args);
    const settings = this.currentSettings();
    const s = this.sessions(settings, this.clock.now() + READ_MS, this.cancelled.signal);
    return findFlowlogs(s.api, { ...filters, regionId: filters.regionId ?? settings.region });
  }

  async update(id: string, olds: Outputs, news: Inputs, opts: OperationOptions = {}): Promise<dynamic.UpdateResult<Outputs>> {
    const inputs = news;
    const s = this.session('update', inputs.timeouts, opts);
    const live = await s.describe(inputs.regionId, inputs.cenId, id);
    if (!live) {
      throw new FlowlogGoneError(id, inputs.regionId);
    }
    return this.guard(id, { ...olds, [PROVIDER_KEY]: news[PROVIDER_KEY] }, live, async () => {
      const outs = await applyInPlace(s, await settle(s, live, inputs), inputs);
      return { outs };
    });
  }

  async delete(id: string, previous: Outputs, opts: OperationOptions = {}): Promise<void> {
    const s = this.session('delete', previous.timeouts, opts);
    const ref = { RegionId: previous.regionId, CenId: previous.cenId, FlowLogId: id };
    try {
      await s.api.deleteFlowlog(ref);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'InvalidFlowlogId.NotFound') return;
      if (code === undefined || !LOG_DESTINATION_GONE.has(code)) throw err;
      const listed = await s.describe(previous.regionId, previous.cenId, id);
      if (!listed) return;
      // Deleting: the delete took effect despite the answer; wait it out like any other.
      if (listed.Status !== 'Deleting') throw new FlowlogLogDestinationGoneError(id, previous.projectName, previous.logStoreName, err);
    }
    await s.waitFor(previous, id, 'Gone', 'delete');
  }

  /**
   * Runs the steps that follow the flow log's existence; a failure there becomes
   * a partial-failure error carrying the id, so the flow log is never orphaned.
   */
  private async guard<T>(id: string, props: Inputs, known: ApiFlowLog | undefined, steps: () => Promise<T>): Promise<T> {
    try {
      return await steps();
    } catch (err) {
      const base = known ? toOutputs(known, props) : { ...withoutUnset(props), flowLogId: id };
      const properties = { ...base, [PROVIDER_KEY]: props[PROVIDER_KEY] };
      const reason = err instanceof Error ? err.message : String(err);
      throw new FlowlogPartialError(id, properties, [`Flow log ${id} exists but the operation did not finish: ${reason}`], err);
    }
  }
}
