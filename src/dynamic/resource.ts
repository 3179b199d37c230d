/**
 * The `CenFlowlog` resource: a `pulumi.dynamic.Resource` whose args are derived
 * from the field model, never a second hand-kept list.
 */
import * as pulumi from '@pulumi/pulumi';
import { FlowlogInputs, FlowlogOutputs } from '../model/model';
import { cenFlowlogProvider } from './shim';
import { defaultRegion, programConfig } from '../core/settings';

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * Arguments of {@link CenFlowlog}: every field of {@link FlowlogInputs}, each a
 * `pulumi.Input`. `regionId` may be left out: it then defaults to the stack config
 * `alicloud:region`, then `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION_ID`.
 */
export type CenFlowlogArgs = Inputs<Omit<FlowlogInputs, 'regionId'>> & { regionId?: pulumi.Input<string> };

/** The outputs, as the engine fills them in; absent from the args so the engine knows they are computed. */
const COMPUTED: Record<Exclude<keyof FlowlogOutputs, keyof FlowlogInputs>, undefined> = {
  flowLogId: undefined,
  creationTime: undefined,
  flowLogVersion: undefined,
};

/** Every output, from {@link FlowlogOutputs}: one list of fields, merged into the class below. */
type OutputProperties = { readonly [K in keyof FlowlogOutputs]-?: pulumi.Output<FlowlogOutputs[K]> };

// Declaration merging (as SST's providers do): the class gets one typed Output per field of
// FlowlogOutputs, which the engine sets at run time; no hand-kept third list of fields.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface CenFlowlog extends OutputProperties {}

/**
 * A flow log of an Alibaba Cloud CEN transit router or one of its attachments.
 *
 * Replaces on change: regionId, cenId, transitRouterId, transitRouterAttachmentId,
 * projectName, logStoreName, logFormatString. Updates in place: flowLogName,
 * description, interval, status, tags.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class CenFlowlog extends pulumi.dynamic.Resource {
  constructor(name: string, args: CenFlowlogArgs, opts?: pulumi.CustomResourceOptions) {
    const regionId = args.regionId ?? defaultRegion(programConfig);
    super(
      cenFlowlogProvider,
      name,
      { ...COMPUTED, interval: undefined, logFormatString: undefined, ...args, regionId },
      opts,
      'cen-flowlog',
      'CenFlowlog',
    );
  }
}
