/**
 * Two realistic CEN flow logs: one on a whole transit router, one on a VPC
 * attachment of it. Every id and name comes from the stack config, with the
 * emulator's ids as defaults, so the same program targets Alibaba Cloud once
 * the stack config names real resources (see docs/examples.md, "The same project against Alibaba Cloud"):
 *
 *   pulumi config set cenId cen-…            pulumi config set alicloud:region cn-hangzhou
 *   pulumi config set transitRouterId tr-…   pulumi config set alicloud:accessKey LTAI…
 *   pulumi config set vpcAttachmentId tr-attach-…
 *   pulumi config set --secret alicloud:secretKey …
 */
import * as pulumi from '@pulumi/pulumi';
import { CenFlowlog } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';

const config = new pulumi.Config();

/** Only the fields users tend to pick; the rest are the service's defaults. */
const LOG_FORMAT = '${srcaddr}${dstaddr}${bytes}${packets}${srcport}${dstport}${protocol}${start}${end}${action}${tcp-flags}';

const regionId = new pulumi.Config('alicloud').get('region') ?? process.env.ALIBABA_CLOUD_REGION_ID ?? EMULATOR_IDS.region;
const cenId = config.get('cenId') ?? EMULATOR_IDS.cenId;
const transitRouterId = config.get('transitRouterId') ?? EMULATOR_IDS.transitRouterId;
const vpcAttachmentId = config.get('vpcAttachmentId') ?? EMULATOR_IDS.vpcAttachmentId;

/** SLS destination: created by the service when missing. Changing either replaces both flow logs. */
const projectName = config.get('projectName') ?? 'cen-flowlog-demo';
const logStoreName = config.get('logStoreName') ?? 'transit-router-flows';

const tags: Record<string, string> = {
  'managed-by': 'pulumi',
  stack: pulumi.getStack(),
  ...(config.getObject<Record<string, string>>('tags') ?? {}),
};

const common = {
  regionId,
  cenId,
  transitRouterId,
  projectName,
  logStoreName,
  interval: config.getNumber('interval') ?? 60,
  logFormatString: config.get('logFormatString') ?? LOG_FORMAT,
  tags,
};

/** Every packet through the transit router, whatever attachment it comes from. */
const transitRouterFlowLog = new CenFlowlog('transit-router', {
  ...common,
  flowLogName: config.get('flowLogName') ?? 'hangzhou-transit-router',
  description: config.get('description') ?? 'All traffic through the Hangzhou transit router',
  status: (config.get('status') as 'Active' | 'Inactive' | undefined) ?? 'Active',
});

/** Only the traffic of one VPC attachment, e.g. the production VPC. */
const vpcFlowLog = new CenFlowlog('vpc-attachment', {
  ...common,
  transitRouterAttachmentId: vpcAttachmentId,
  flowLogName: config.get('vpcFlowLogName') ?? 'production-vpc',
  description: config.get('vpcDescription') ?? 'Traffic of the production VPC attachment',
  status: (config.get('vpcStatus') as 'Active' | 'Inactive' | undefined) ?? 'Active',
  tags: { ...tags, scope: 'vpc-attachment' },
});

const summary = (fl: CenFlowlog) => ({
  id: fl.flowLogId,
  name: fl.flowLogName,
  status: fl.status,
  interval: fl.interval,
  projectName: fl.projectName,
  logStoreName: fl.logStoreName,
});

export const flowLogs = {
  transitRouter: summary(transitRouterFlowLog),
  vpcAttachment: summary(vpcFlowLog),
};
export const transitRouterFlowLogId = transitRouterFlowLog.flowLogId;
export const vpcFlowLogId = vpcFlowLog.flowLogId;
