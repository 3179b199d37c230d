/**
 * cen-flowlog: a Pulumi dynamic resource provider for Alibaba Cloud CEN
 * transit-router flow logs, and a local emulator of the CEN API.
 */
import { FlowlogProvider } from './provider';

export { CenFlowlog } from './resource';
export type { CenFlowlogArgs } from './resource';
export { cenFlowlogProvider } from './shim';
export { FlowlogProvider, FlowlogPartialError } from './provider';
export type { ProviderDeps } from './provider';
export { REPLACE_FIELDS, UPDATE_FIELDS } from './model';
export type { FlowlogInputs, FlowlogOutputs, FlowlogTimeouts, FlowlogStatus } from './model';
export { CenApiError, FlowlogWaitTimeoutError, FlowlogStatusError } from './errors';
export { FlowlogAdoptionError, FlowlogAlreadyExistsError } from './adopt';
export { getFlowlogs, getFlowlogsOutput } from './get-flowlogs';
export type { GetFlowlogsOptions, GetFlowlogsOutputArgs } from './get-flowlogs';
export { FlowlogFilterError } from './lookup';
export type { GetFlowlogsArgs, GetFlowlogsResult, FoundFlowlog } from './lookup';
export { generateProgram } from './generate';
export * from './emulator';

let implementation: FlowlogProvider | undefined;

/**
 * The one implementation per process that the serialized shim calls into, so
 * every resource shares its client, rate limiter and status polls.
 */
export function providerImplementation(): FlowlogProvider {
  implementation ??= new FlowlogProvider();
  return implementation;
}
