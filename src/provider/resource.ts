/**
 * The `CenFlowlog` resource: a `pulumi.dynamic.Resource` whose args are derived
 * from the field model, never a second hand-kept list.
 */
import * as pulumi from '@pulumi/pulumi';
import { FlowlogInputs, FlowlogOutputs } from '../model/model';
import { cenFlowlogProvider } from './shim';

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/**
 * Arguments of {@link CenFlowlog}: every field of {@link FlowlogInputs}, each a
 * `pulumi.Input`. `regionId` may be left out: it then defaults to the stack config
 * `alicloud:region`, then `ALIBABA_CLOUD_REGION_ID`.
 */
export type CenFlowlogArgs = Inputs<Omit<FlowlogInputs, 'regionId'>> & { regionId?: pulumi.Input<string> };

/** The outputs, as the engine fills them in; absent from the args so the engine knows they are computed. */
const COMPUTED: Record<Exclude<keyof FlowlogOutputs, keyof FlowlogInputs>, undefined> = {
  flowLogId: undefined,
  creationTime: undefined,
  flowLogVersion: undefined,
};

/**
 * A flow log of an Alibaba Cloud CEN transit router or one of its attachments.
 *
 * Replaces on change: regionId, cenId, transitRouterId, transitRouterAttachmentId,
 * projectName, logStoreName, logFormatString. Updates in place: flowLogName,
 * description, interval, status, tags.
 */
export class CenFlowlog extends pulumi.dynamic.Resource {
  /** The flow log's id (`flowlog-…`). */
  declare readonly flowLogId: pulumi.Output<string>;
  declare readonly regionId: pulumi.Output<string>;
  declare readonly cenId: pulumi.Output<string>;
  declare readonly transitRouterId: pulumi.Output<string>;
  declare readonly transitRouterAttachmentId: pulumi.Output<string | undefined>;
  declare readonly projectName: pulumi.Output<string>;
  declare readonly logStoreName: pulumi.Output<string>;
  declare readonly flowLogName: pulumi.Output<string | undefined>;
  declare readonly description: pulumi.Output<string | undefined>;
  /** The aggregation interval the service applies (60 or 600). */
  declare readonly interval: pulumi.Output<number>;
  /** The log format the service applies. */
  declare readonly logFormatString: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string>>;
  /** `Active` or `Inactive`. */
  declare readonly status: pulumi.Output<string>;
  /** When the flow log was created (ISO-8601, UTC). */
  declare readonly creationTime: pulumi.Output<string>;
  declare readonly flowLogVersion: pulumi.Output<string>;

  constructor(name: string, args: CenFlowlogArgs, opts?: pulumi.CustomResourceOptions) {
    const regionId = args.regionId ?? new pulumi.Config('alicloud').get('region') ?? process.env.ALIBABA_CLOUD_REGION_ID;
    super(cenFlowlogProvider, name, { ...COMPUTED, interval: undefined, logFormatString: undefined, ...args, regionId }, opts, 'cen-flowlog', 'CenFlowlog');
  }
}
