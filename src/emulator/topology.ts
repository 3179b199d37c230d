/** The account the emulator serves: default ids and the JSON override merge. */
import type { Topology, TopologyInput } from './types';

/** Stable ids of the default topology, for tests and demos. */
export const EMULATOR_IDS = {
  accountId: '1000000000000001',
  region: 'cn-hangzhou',
  region2: 'cn-shanghai',
  cenId: 'cen-emu00000000000001',
  cenId2: 'cen-emu00000000000002',
  transitRouterId: 'tr-emuhz000000000001',
  transitRouterId2: 'tr-emush000000000001',
  basicTransitRouterId: 'tr-emubasic00000001',
  vpcAttachmentId: 'tr-attach-emuvpc0000001',
  vpcAttachmentId2: 'tr-attach-emuvpc0000002',
  vpnAttachmentId: 'tr-attach-emuvpn0000001',
  vbrAttachmentId: 'tr-attach-emuvbr0000001',
  ecrAttachmentId: 'tr-attach-emuecr0000001',
  peerAttachmentId: 'tr-attach-emupeer000001',
  shanghaiVpcAttachmentId: 'tr-attach-emushvpc00001',
  basicVpcAttachmentId: 'tr-attach-emubasicvpc01',
  projectName: 'emu-flowlog-project',
  logStoreName: 'emu-flowlog-logstore',
  shanghaiProjectName: 'emu-flowlog-project-sh',
  foreignProjectName: 'someone-elses-project',
} as const;

const I = EMULATOR_IDS;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

export const DEFAULT_TOPOLOGY: Readonly<Topology> = deepFreeze({
  accountId: I.accountId,
  regions: [I.region, I.region2, 'cn-beijing'],
  cens: [
    { cenId: I.cenId, name: 'emu-cen' },
    { cenId: I.cenId2, name: 'emu-cen-basic' },
  ],
  transitRouters: [
    { transitRouterId: I.transitRouterId, cenId: I.cenId, regionId: I.region, edition: 'Enterprise' },
    { transitRouterId: I.transitRouterId2, cenId: I.cenId, regionId: I.region2, edition: 'Enterprise' },
    { transitRouterId: I.basicTransitRouterId, cenId: I.cenId2, regionId: I.region, edition: 'Basic' },
  ],
  attachments: [
    { attachmentId: I.vpcAttachmentId, transitRouterId: I.transitRouterId, kind: 'VPC' },
    { attachmentId: I.vpcAttachmentId2, transitRouterId: I.transitRouterId, kind: 'VPC' },
    { attachmentId: I.vpnAttachmentId, transitRouterId: I.transitRouterId, kind: 'VPN' },
    { attachmentId: I.vbrAttachmentId, transitRouterId: I.transitRouterId, kind: 'VBR' },
    { attachmentId: I.ecrAttachmentId, transitRouterId: I.transitRouterId, kind: 'ECR' },
    { attachmentId: I.peerAttachmentId, transitRouterId: I.transitRouterId, kind: 'TR' },
    { attachmentId: I.shanghaiVpcAttachmentId, transitRouterId: I.transitRouterId2, kind: 'VPC' },
    { attachmentId: I.basicVpcAttachmentId, transitRouterId: I.basicTransitRouterId, kind: 'VPC' },
  ],
  projects: [
    { name: I.projectName, regionId: I.region, owner: 'self', logStores: [I.logStoreName] },
    { name: I.shanghaiProjectName, regionId: I.region2, owner: 'self', logStores: [I.logStoreName] },
    { name: I.foreignProjectName, regionId: I.region, owner: 'other', logStores: ['their-logstore'] },
  ],
  quota: 50,
} satisfies Topology);

function mergeById<T extends object>(base: readonly T[], extra: readonly T[] | undefined, key: keyof T): T[] {
  const out = new Map<unknown, T>(base.map((item) => [item[key], { ...item }]));
  for (const item of extra ?? []) out.set(item[key], { ...(out.get(item[key]) ?? {}), ...item } as T);
  return [...out.values()];
}

/** Merge a partial override onto the defaults and check that every reference resolves. */
export function buildTopology(input: TopologyInput = {}, quota?: number): Topology {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('Expected `topology` to be an object');
  }
  const base = DEFAULT_TOPOLOGY;
  const topology: Topology = {
    accountId: input.accountId ?? base.accountId,
    regions: [...new Set([...base.regions, ...(input.regions ?? [])])],
    cens: mergeById(base.cens, input.cens, 'cenId'),
    transitRouters: mergeById(base.transitRouters, input.transitRouters, 'transitRouterId'),
    attachments: mergeById(base.attachments, input.attachments, 'attachmentId'),
    projects: mergeById(base.projects, input.projects, 'name'),
    quota: quota ?? input.quota ?? base.quota,
  };
  validateTopology(topology);
  return topology;
}

function validateTopology(t: Topology): void {
  const cens = new Set(t.cens.map((c) => c.cenId));
  const trs = new Set(t.transitRouters.map((tr) => tr.transitRouterId));
  for (const tr of t.transitRouters) {
    if (!cens.has(tr.cenId)) throw new TypeError(`Transit router ${tr.transitRouterId} names unknown CEN ${tr.cenId}`);
    if (tr.edition !== 'Enterprise' && tr.edition !== 'Basic') {
      throw new TypeError(`Expected edition of ${tr.transitRouterId} to be Enterprise or Basic, got ${String(tr.edition)}`);
    }
    if (!t.regions.includes(tr.regionId)) t.regions.push(tr.regionId);
  }
  for (const a of t.attachments) {
    if (!trs.has(a.transitRouterId)) {
      throw new TypeError(`Attachment ${a.attachmentId} names unknown transit router ${a.transitRouterId}`);
    }
  }
  for (const p of t.projects) {
    if (!Array.isArray(p.logStores)) throw new TypeError(`Expected project ${p.name} to list logStores`);
  }
  if (!Number.isInteger(t.quota) || t.quota < 0) throw new TypeError(`Expected quota to be a non-negative integer, got ${t.quota}`);
}
