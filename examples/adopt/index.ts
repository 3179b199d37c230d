/**
 * Adopts the flow log that already exists on a transit router or attachment:
 * the first `pulumi up` records it in the stack (no CreateFlowlog call) and
 * brings its mutable fields (name, description, interval, status, tags) to
 * what is declared here; from then on it is fully managed, and destroying
 * the stack deletes it.
 *
 *   pulumi config set flowLogId flowlog-…   # adopt this one; unset: the one on the location below
 *
 * The replace-on-change fields (region, CEN, transit router, attachment, SLS
 * project and Logstore, log format) must match the existing flow log, or the
 * adoption fails with the field that differs, before changing anything.
 */
import * as pulumi from '@pulumi/pulumi';
import { CenFlowlog } from 'cen-flowlog';
import { EMULATOR_IDS } from 'cen-flowlog/emulator';

const config = new pulumi.Config();

const adopted = new CenFlowlog('adopted', {
  regionId: new pulumi.Config('alicloud').get('region') ?? EMULATOR_IDS.region,
  cenId: config.get('cenId') ?? EMULATOR_IDS.cenId,
  transitRouterId: config.get('transitRouterId') ?? EMULATOR_IDS.transitRouterId,
  transitRouterAttachmentId: config.get('attachmentId') ?? EMULATOR_IDS.vpcAttachmentId2,
  projectName: config.require('projectName'),
  logStoreName: config.require('logStoreName'),
  flowLogName: config.get('flowLogName') ?? 'adopted-by-pulumi',
  tags: { 'managed-by': 'pulumi' },
  // An id adopts exactly that flow log; `true` finds the one on the location above.
  adopt: config.get('flowLogId') ?? true,
});

export const flowLogId = adopted.flowLogId;
export const status = adopted.status;
