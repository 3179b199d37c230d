import { CenFlowlog } from 'cen-flowlog';

const vpcFlowLog = new CenFlowlog('vpc-edge', {
  cenId: 'cen-7qthudw0ll6jmc****',
  transitRouterId: 'tr-bp1rmwxnk221e3fas****',
  transitRouterAttachmentId: 'tr-attach-r6g0m3epjehw57****',
  projectName: 'network-flowlogs',
  logStoreName: 'transit-router',
  flowLogName: 'vpc-edge',
  interval: 60,
  logFormatString: '${srcaddr}${dstaddr}${bytes}${srcport}${dstport}${protocol}',
  tags: { team: 'network', env: 'prod' },
});
export const flowLogId = vpcFlowLog.flowLogId;
