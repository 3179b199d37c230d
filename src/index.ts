/**
 * cen-flowlog: a Pulumi dynamic resource provider for Alibaba Cloud CEN
 * transit-router flow logs. The local emulator of the CEN API is its own
 * entry point, `cen-flowlog/emulator`, so the provider process never loads it.
 */
import { FlowlogProvider } from './provider/provider';

export { CenFlowlog } from './provider/resource';
export type { CenFlowlogArgs } from './provider/resource';
export { cenFlowlogProvider } from './provider/shim';
export { FlowlogProvider } from './provider/provider';
export type { ProviderDeps } from './provider/provider';
export { REPLACE_FIELDS, UPDATE_FIELDS } from './model/model';
export type { FlowlogInputs, FlowlogOutputs, FlowlogTimeouts, FlowlogStatus } from './model/model';
export {
  BudgetDeadlineError,
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
export { getFlowlogs, getFlowlogsOutput } from './tools/get-flowlogs';
export type { GetFlowlogsOptions, GetFlowlogsOutputArgs } from './tools/get-flowlogs';
export type { GetFlowlogsArgs, GetFlowlogsResult, FoundFlowlog } from './tools/lookup';
export { generateProgram } from './tools/generate';

let implementation: FlowlogProvider | undefined;

/**
 * The one implementation per process that the serialized shim calls into, so
 * every resource shares its client, rate limiter and status polls.
 */
export function providerImplementation(): FlowlogProvider {
  implementation ??= new FlowlogProvider();
  return implementation;
}
