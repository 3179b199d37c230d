/**
 * cen-flowlog: a Pulumi dynamic resource provider for Alibaba Cloud CEN
 * transit-router flow logs. The local emulator of the CEN API is its own
 * entry point, `cen-flowlog/emulator`, so the provider process never loads it.
 */
import { FlowlogProvider } from './core/provider';

export { CenFlowlog } from './dynamic/resource';
export type { CenFlowlogArgs } from './dynamic/resource';
export { cenFlowlogProvider } from './dynamic/shim';
export { FlowlogProvider } from './core/provider';
export { REPLACE_FIELDS, UPDATE_FIELDS } from './model/model';
export type { FlowlogInputs, FlowlogOutputs, FlowlogTimeouts, FlowlogStatus } from './model/model';
export {
  CenApiError,
  FlowlogAdoptionError,
  FlowlogAlreadyExistsError,
  FlowlogFilterError,
  FlowlogGoneError,
  FlowlogNotFoundError,
  OperationCancelledError,
  FlowlogLogDestinationGoneError,
  FlowlogPartialError,
  FlowlogStatusError,
  FlowlogWaitTimeoutError,
} from './errors';
export { getFlowlogs, getFlowlogsOutput } from './lookup/get-flowlogs';
export type { GetFlowlogsOptions, GetFlowlogsOutputArgs } from './lookup/get-flowlogs';
export type { GetFlowlogsArgs, GetFlowlogsResult, FoundFlowlog } from './core/lookup';
export { generateProgram } from './cli/generate';

let implementation: FlowlogProvider | undefined;

/**
 * The one implementation per process that the serialized shim calls into, so
 * every resource shares its client, rate limiter and status polls.
 */
export function providerImplementation(): FlowlogProvider {
  implementation ??= new FlowlogProvider();
  return implementation;
}
