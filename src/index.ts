/**
 * cen-flowlog: a Pulumi dynamic resource provider for Alibaba Cloud CEN
 * transit-router flow logs, and a local emulator of the CEN API.
 */
import { FlowlogProvider } from './provider';

export { CenFlowlog, CenFlowlogArgs } from './resource';
export { cenFlowlogProvider } from './shim';
export { FlowlogProvider, FlowlogPartialError, ProviderDeps } from './provider';
export { FlowlogInputs, FlowlogOutputs, FlowlogTimeouts, FlowlogStatus, REPLACE_FIELDS, UPDATE_FIELDS } from './model';
export { CenApiError, FlowlogWaitTimeoutError, FlowlogStatusError } from './errors';
export { FlowlogAdoptionError, FlowlogAlreadyExistsError } from './adopt';
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
