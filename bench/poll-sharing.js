#!/usr/bin/env node
/**
 * How many status polls N concurrent creates cost, with the provider's shared
 * poller (one provider process, as under `pulumi up`) against one poller per
 * resource. Reports counts and their ratio, not times. Loopback only, bounded.
 *
 *   npm run build && node bench/poll-sharing.js [N]
 */
process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';
const { startEmulator, FlowlogProvider, DEFAULT_TOPOLOGY } = require('../dist');

const N = Math.min(Number(process.argv[2] ?? 24), 40);
const tr = DEFAULT_TOPOLOGY.transitRouters.find((t) => t.edition === 'Enterprise' && t.regionId === 'cn-hangzhou');
const attachments = Array.from({ length: N }, (_, i) => ({
  attachmentId: `tr-attach-bench${String(i).padStart(8, '0')}`, transitRouterId: tr.transitRouterId, kind: 'VPC',
}));

function provider(emu) {
  // A generous request budget, so the rate limiter does not hide the poll counts.
  const env = { CEN_FLOWLOG_ENDPOINT: emu.endpoint, CEN_FLOWLOG_REQUESTS_PER_SECOND: '1000' };
  const p = new FlowlogProvider({ env, log: () => undefined });
  const config = { 'alicloud:accessKey': emu.accessKeyId, 'alicloud:secretKey': emu.accessKeySecret };
  p.configure({ config: { get: (k) => config[k] } });
  return p;
}

async function run(shared) {
  const emu = await startEmulator({ topology: { attachments }, delays: { createMs: 3000 }, ratePerSecond: 0, quota: N + 10 });
  const one = provider(emu);
  const started = Date.now();
  await Promise.all(attachments.map(async (a, i) => {
    const p = shared ? one : provider(emu);
    const { inputs, failures } = await p.check({}, {
      regionId: tr.regionId, cenId: tr.cenId, transitRouterId: tr.transitRouterId, transitRouterAttachmentId: a.attachmentId,
      projectName: 'bench-project', logStoreName: `bench-store-${i}`,
    });
    if (failures.length) throw new Error(JSON.stringify(failures));
    await p.create(inputs);
  }));
  const counts = emu.callCounts();
  const result = { creates: counts.CreateFlowlog ?? 0, describes: counts.DescribeFlowlogs ?? 0, seconds: (Date.now() - started) / 1000 };
  await emu.close();
  return result;
}

(async () => {
  const sharedRun = await run(true);
  const separate = await run(false);
  console.log(`${N} concurrent creates, each Creating for 3 s`);
  console.log(`shared poller (one provider process): ${sharedRun.describes} DescribeFlowlogs (${(sharedRun.describes / N).toFixed(2)} per resource)`);
  console.log(`one poller per resource:            ${separate.describes} DescribeFlowlogs (${(separate.describes / N).toFixed(2)} per resource)`);
  console.log(`wall time: shared ${sharedRun.seconds}s, separate ${separate.seconds}s`);
  console.log(`ratio shared/separate: ${(sharedRun.describes / separate.describes).toFixed(3)}`);
  process.exit(0);
})().catch((err) => { console.error(err); process.exit(1); });
