'use strict';
/**
 * One driver run of table 1, in its own process: create, update (name change) and delete of
 * the given flow logs, all at once, either through our provider (`mode: "ours"`, the
 * `FlowlogProvider` of the measured checkout, in process) or on the Terraform provider's
 * documented schedule (`mode: "terraform"`) with the checkout's real API client.
 * Prints one JSON line: per phase the wall time of the slowest flow log, the API calls
 * (from the emulator's counts) and the errors.
 *
 * Terraform's schedule (alicloud_cen_flowlog, see docs/ and the API reference): after each
 * write it sleeps 5 s, then polls DescribeFlowlogs by id at about 5, 8, 14, 24, 34 s after
 * the write and every 10 s after that; create and update end with one more read (the
 * resource's Read). Its plan-time refresh is not counted, which favours Terraform.
 */
const path = require('node:path');
const { admin } = require('./env');

const job = JSON.parse(process.argv[2]);
const TF_POLLS_S = [5, 8, 14, 24, 34];
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const now = () => performance.now();
const phases = {};

function diffCounts(after, before) {
  const out = {};
  for (const [k, v] of Object.entries(after)) if (v - (before[k] ?? 0) > 0) out[k] = v - (before[k] ?? 0);
  return out;
}

async function phase(name, items, fn) {
  const before = await admin(job.endpoint, 'counts');
  const t0 = now();
  const settled = await Promise.allSettled(
    items.map(async (item, i) => {
      const r = await fn(item, i);
      return { r, s: (now() - t0) / 1000 };
    }),
  );
  const wall = (now() - t0) / 1000;
  const calls = diffCounts(await admin(job.endpoint, 'counts'), before);
  const errors = settled.filter((s) => s.status === 'rejected').map((s) => String(s.reason?.message ?? s.reason).slice(0, 300));
  phases[name] = { wallSeconds: wall, perItemSeconds: settled.map((s) => (s.status === 'fulfilled' ? s.value.s : null)), calls, errors };
  return settled.map((s) => (s.status === 'fulfilled' ? s.value.r : undefined));
}

function ours() {
  const { FlowlogProvider } = require(path.join(job.root, 'dist'));
  const p = new FlowlogProvider({
    env: { CEN_FLOWLOG_ENDPOINT: job.endpoint, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' },
    log: () => undefined,
  });
  const config = { 'alicloud:accessKey': job.accessKeyId, 'alicloud:secretKey': job.accessKeySecret };
  p.configure({ config: { get: (k) => config[k] } });
  const checked = async (raw) => {
    const { inputs, failures } = await p.check({}, raw);
    if (failures.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
    return inputs;
  };
  return {
    create: async (raw) => p.create(await checked(raw)),
    update: async (raw, created) => {
      const news = await checked(raw);
      return { id: created.id, outs: (await p.update(created.id, created.outs, news)).outs };
    },
    delete: async (_raw, updated) => p.delete(updated.id, updated.outs),
  };
}

function terraform() {
  // The client lives in dist/transport/; older checkouts (the baseline) have it at dist/api/ or dist/.
  const clientPath = ['transport/client.js', 'api/client.js', 'client.js']
    .map((p) => path.join(job.root, 'dist', p))
    .find((p) => require('node:fs').existsSync(p));
  const { createCenClient } = require(clientPath);
  const api = createCenClient({
    endpoint: job.endpoint,
    credential: { getCredential: async () => ({ accessKeyId: job.accessKeyId, accessKeySecret: job.accessKeySecret }) },
  });
  const describe = (raw, id) => api.describeFlowlogs({ RegionId: raw.regionId, CenId: raw.cenId, FlowLogId: id });
  // Terraform's Alibaba SDK retries a network error (e.g. a kept-alive socket the server closed between two polls 6 s apart).
  const read = async (raw, id) =>
    (await describe(raw, id).catch((err) => (err?.network ? describe(raw, id) : Promise.reject(err)))).flowLogs.find(
      (f) => f.FlowLogId === id,
    );
  async function wait(raw, id, want) {
    const written = now();
    for (let i = 0; ; i++) {
      const offset = i < TF_POLLS_S.length ? TF_POLLS_S[i] : TF_POLLS_S.at(-1) + 10 * (i - TF_POLLS_S.length + 1);
      if (offset > job.T + 180) throw new Error(`terraform schedule: ${id} not ${want} after ${offset} s`);
      await sleep(written + offset * 1000 - now());
      const f = await read(raw, id);
      if (want === 'Gone' ? f === undefined : f?.Status === want) return;
    }
  }
  const ref = (raw, id) => ({ RegionId: raw.regionId, CenId: raw.cenId, FlowLogId: id });
  return {
    create: async (raw) => {
      const { flowLogId } = await api.createFlowlog({
        RegionId: raw.regionId,
        CenId: raw.cenId,
        TransitRouterId: raw.transitRouterId,
        TransitRouterAttachmentId: raw.transitRouterAttachmentId,
        ProjectName: raw.projectName,
        LogStoreName: raw.logStoreName,
        FlowLogName: raw.flowLogName,
      });
      await wait(raw, flowLogId, 'Active');
      await read(raw, flowLogId);
      return { id: flowLogId };
    },
    update: async (raw, created) => {
      await api.modifyFlowLogAttribute({ ...ref(raw, created.id), FlowLogName: raw.flowLogName });
      await wait(raw, created.id, 'Active');
      await read(raw, created.id);
      return created;
    },
    delete: async (raw, updated) => {
      await api.deleteFlowlog(ref(raw, updated.id));
      await wait(raw, updated.id, 'Gone');
    },
  };
}

async function main() {
  const impl = job.mode === 'terraform' ? terraform() : ours();
  if (job.startAt) await sleep(job.startAt - Date.now());
  const named = (suffix) => job.targets.map((t, i) => ({ ...t, flowLogName: `bench-${i}-${suffix}` }));
  const created = await phase('create', named('a'), (raw) => impl.create(raw));
  if (job.ops.includes('update')) {
    const updated = await phase('update', named('b'), (raw, i) =>
      created[i] ? impl.update(raw, created[i]) : Promise.reject(new Error('not created')),
    );
    if (job.ops.includes('delete')) {
      await phase('delete', named('b'), (raw, i) => (updated[i] ? impl.delete(raw, updated[i]) : Promise.reject(new Error('not updated'))));
    }
  }
}

const limit = setTimeout(() => {
  process.stdout.write(`${JSON.stringify({ phases, timedOut: true })}\n`);
  process.exit(0);
}, job.limitMs);
main().then(
  () => {
    clearTimeout(limit);
    process.stdout.write(`${JSON.stringify({ phases })}\n`);
    process.exit(0);
  },
  (err) => {
    process.stdout.write(`${JSON.stringify({ phases, error: String(err?.stack ?? err) })}\n`);
    process.exit(0);
  },
);
