/**
 * The `CenFlowlog` resource: a `pulumi.dynamic.Resource` whose args are derived
 * from the field model, never a second hand-kept list.
 */
import * as pulumi from '@pulumi/pulumi';
import { FlowlogInputs, FlowlogOutputs, OUTPUT_FIELDS } from '../model/model';
import { cenFlowlogProvider } from './shim';
import { defaultRegion, programConfig } from '../core/settings';

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * Arguments of {@link CenFlowlog}: every field of {@link FlowlogInputs}, each a
 * `pulumi.Input`. `regionId` may be left out: it then defaults to the stack config
 * `alicloud:region`, then `ALICLOUD_REGION`, then `ALIBABA_CLOUD_REGION_ID`.
 */
export type CenFlowlogArgs = Inputs<Omit<FlowlogInputs, 'regionId'>> & { regionId?: pulumi.Input<string> };

/**
 * Every field of the model as a key of the resource's props: the SDK makes an output only for
 * a key it is given, so a field the program leaves out must still be here. `undefined` is never
 * sent to the engine, so the provider sees the same inputs as before and the engine computes it.
 */
const EVERY_OUTPUT: Readonly<Record<keyof FlowlogOutputs, undefined>> = Object.fromEntries(
  OUTPUT_FIELDS.map((field) => [field, undefined]),
) as Record<(typeof OUTPUT_FIELDS)[number], undefined>;

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
    super(cenFlowlogProvider, name, { ...EVERY_OUTPUT, ...args, regionId }, opts, 'cen-flowlog', 'CenFlowlog');
  }
}
