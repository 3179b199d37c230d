'use strict';
/**
 * The program of the recorded stack (see README.md here): one flow log per kind of location (a whole transit
 * router, one attachment), tags, and an Inactive one. The recorder and test/e2e/upgrade.test.ts both run it, so
 * the test previews exactly the program the checkpoint was made from. Keep it as it is: changing it means
 * recording again, and the point of the recording is that it comes from an older release.
 */
const { CenFlowlog } = require('cen-flowlog');
const { EMULATOR_IDS } = require('cen-flowlog/emulator');

const PROJECT = 'cen-flowlog-recorded';
const STACK = 'recorded';

const common = {
  regionId: EMULATOR_IDS.region,
  cenId: EMULATOR_IDS.cenId,
  transitRouterId: EMULATOR_IDS.transitRouterId,
  projectName: EMULATOR_IDS.projectName,
  logStoreName: EMULATOR_IDS.logStoreName,
};

/** The inline program; `attachmentChanges` is merged into the args of `attachment` (the test's update in place). */
function program(attachmentChanges = {}) {
  return async () => {
    const router = new CenFlowlog('router', {
      ...common,
      flowLogName: 'whole-router',
      description: 'every attachment of the transit router',
      tags: { team: 'net', scope: 'router' },
    });
    const attachment = new CenFlowlog('attachment', {
      ...common,
      transitRouterAttachmentId: EMULATOR_IDS.vpcAttachmentId,
      flowLogName: 'one-vpc',
      description: 'one VPC attachment',
      interval: 60,
      tags: { team: 'net', scope: 'attachment' },
      ...attachmentChanges,
    });
    const inactive = new CenFlowlog('inactive', {
      ...common,
      transitRouterAttachmentId: EMULATOR_IDS.vpnAttachmentId,
      flowLogName: 'paused',
      status: 'Inactive',
    });
    return { router: router.flowLogId, attachment: attachment.flowLogId, inactive: inactive.flowLogId };
  };
}

module.exports = { PROJECT, STACK, program };
