'use strict';
/**
 * Emulator topologies for the benches: `cens` CENs, each with one Enterprise transit router
 * in cn-hangzhou, and `perCen` VPC attachments on each (one flow log per attachment).
 * With one CEN, the default CEN and transit router are used.
 */
const REGION = 'cn-hangzhou';
const PROJECT = 'emu-flowlog-project';
const LOG_STORE = 'emu-flowlog-logstore';
const pad = (n, width) => String(n).padStart(width, '0');

function benchTopology(cens, perCen, tag = 'b') {
  const routers =
    cens === 1
      ? [{ transitRouterId: 'tr-emuhz000000000001', cenId: 'cen-emu00000000000001', regionId: REGION, edition: 'Enterprise' }]
      : Array.from({ length: cens }, (_, c) => ({
          transitRouterId: `tr-bench${pad(c, 11)}`,
          cenId: `cen-bench${pad(c, 11)}`,
          regionId: REGION,
          edition: 'Enterprise',
        }));
  const attachments = routers.flatMap((tr, c) =>
    Array.from({ length: perCen }, (_, i) => ({
      attachmentId: `tr-attach-${tag}${pad(c, 3)}${pad(i, 6)}`,
      transitRouterId: tr.transitRouterId,
      kind: 'VPC',
    })),
  );
  return {
    topology: {
      cens: cens === 1 ? [] : routers.map((tr) => ({ cenId: tr.cenId, name: tr.cenId })),
      transitRouters: cens === 1 ? [] : routers,
      attachments,
    },
    /** The raw resource arguments of every flow log, in order. */
    targets: attachments.map((a) => {
      const tr = routers.find((r) => r.transitRouterId === a.transitRouterId);
      return {
        regionId: REGION,
        cenId: tr.cenId,
        transitRouterId: tr.transitRouterId,
        transitRouterAttachmentId: a.attachmentId,
        projectName: PROJECT,
        logStoreName: LOG_STORE,
      };
    }),
  };
}

module.exports = { benchTopology, REGION };
