/**
 * The `getFlowlogs` data source, after Pulumi's `getX` / `getXOutput`
 * convention. It runs in the Pulumi program's process (not the provider
 * plugin), reads the same settings as the provider (stack config, then the
 * environment), and calls DescribeFlowlogs through a session of the same kind
 * as the resource's: same client, request budget and retries.
 */
import * as pulumi from '@pulumi/pulumi';
import { systemClock, type Clock } from '../pacing/clock';
import { parseDuration } from '../model/duration';
import { checkFilters, findFlowlogs, type GetFlowlogsArgs, type GetFlowlogsResult } from '../core/lookup';
import { defaultSessionFactory, type SessionFactory } from '../core/session';
import { programConfig, readSettings, type ConfigSource } from '../core/settings';

export interface GetFlowlogsOptions {
  /**
   * Settings in stack-config form (`alicloud:accessKey`, `cenFlowlog:endpoint`, …).
   * @default the running Pulumi program's stack config; none outside a Pulumi program
   */
  config?: ConfigSource;
  /** Environment variables read after the config (`CEN_FLOWLOG_ENDPOINT`, `ALIBABA_CLOUD_*`, …). @default process.env */
  env?: NodeJS.ProcessEnv;
  /** How long the whole lookup may take, every page and retry included; Go-style duration. @default "2m" */
  timeout?: string;
}

/** What the command and the tests inject besides a user's options; not part of the package's API. */
export interface LookupSeams {
  /** The API sessions. @default one shared factory per process */
  sessions?: SessionFactory;
  /** @default the system clock */
  clock?: Clock;
}

const DEFAULT_TIMEOUT_MS = 2 * 60_000;

/** Retry notices: the engine's log inside a Pulumi program, stderr elsewhere (e.g. the generator's CLI). */
function logLine(line: string): void {
  // The engine's log call returns a promise only to say it was sent; a notice must never hold up or fail a lookup.
  if (pulumi.runtime.hasMonitor()) void pulumi.log.info(line);
  else process.stderr.write(`${line}\n`);
}

let shared: SessionFactory | undefined;
/** One factory per process, so every lookup (and the generator) shares one client and request budget per account. */
function sharedSessions(): SessionFactory {
  shared ??= defaultSessionFactory(systemClock, logLine);
  return shared;
}

function timeoutMs(timeout: string | undefined): number {
  if (timeout === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = parseDuration(timeout);
  if (ms === undefined) throw new TypeError(`Expected \`timeout\` to be a duration like "90s" or "5m", got ${JSON.stringify(timeout)}`);
  return ms;
}

/**
 * The flow logs that match every given filter, all of them (it pages through
 * every result page). Bad filter values throw `FlowlogFilterError`, naming each
 * field as `CenFlowlog`'s check does; API failures throw `CenApiError`.
 *
 * @example
 * const { flowlogs } = await getFlowlogs({ cenId: 'cen-…', status: 'Active', nameRegex: '^prod-' });
 */
export function getFlowlogs(args: GetFlowlogsArgs = {}, opts: GetFlowlogsOptions = {}): Promise<GetFlowlogsResult> {
  return lookupFlowlogs(args, opts);
}

/** {@link getFlowlogs} with the sessions and clock injected. */
export async function lookupFlowlogs(args: GetFlowlogsArgs = {}, opts: GetFlowlogsOptions & LookupSeams = {}): Promise<GetFlowlogsResult> {
  const clock = opts.clock ?? systemClock;
  const deadline = clock.now() + timeoutMs(opts.timeout);
  const given = checkFilters(args);
  const settings = readSettings(opts.config ?? programConfig, opts.env ?? process.env);
  const filters: GetFlowlogsArgs = { ...given, regionId: given.regionId ?? settings.region };
  const session = (opts.sessions ?? sharedSessions())(settings, deadline);
  return findFlowlogs(session.api, filters);
}

/** {@link GetFlowlogsArgs} with every filter a `pulumi.Input`. */
export type GetFlowlogsOutputArgs = {
  [K in Exclude<keyof GetFlowlogsArgs, 'ids' | 'tags'>]?: pulumi.Input<GetFlowlogsArgs[K]>;
} & {
  ids?: pulumi.Input<pulumi.Input<string>[]>;
  tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
};

/** {@link getFlowlogs} for `pulumi.Input` filters (e.g. another resource's id); the result is an Output. */
export function getFlowlogsOutput(args: GetFlowlogsOutputArgs = {}, opts: GetFlowlogsOptions = {}): pulumi.Output<GetFlowlogsResult> {
  return lookupFlowlogsOutput(args, opts);
}

/** {@link getFlowlogsOutput} with the sessions and clock injected. */
export function lookupFlowlogsOutput(
  args: GetFlowlogsOutputArgs = {},
  opts: GetFlowlogsOptions & LookupSeams = {},
): pulumi.Output<GetFlowlogsResult> {
  return pulumi.output(args).apply((resolved) => lookupFlowlogs(resolved as GetFlowlogsArgs, opts));
}
