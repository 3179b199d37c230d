'use strict';
/**
 * One driver run of table 2, in its own process (as one provider process under `pulumi up`):
 * check() then create() of every given flow log at once through the measured checkout's
 * `FlowlogProvider`, which is not told the account's limit. Prints one JSON line: wall time,
 * how many creates finished, how many were rejected (errors surfaced) and a sample of them.
 * At `limitMs` it stops and reports what finished so far. With `noop`, the same process shape
 * (the checkout's code loaded, the same check-then-create of every flow log at once) with a
 * provider whose check returns its inputs and whose create sleeps T and calls nothing: the
 * reference for the provider process's peak RSS (`peakRssKiB`, the kernel's high-water mark).
 */
const path = require('node:path');

const { benchTopology } = require('./topology');

const job = JSON.parse(process.argv[2]);
// The flow logs as a topology (1,000 targets would not fit in one argument of the command line).
const targets = benchTopology(job.cens, job.perCen).targets;
const { FlowlogProvider } = require(path.join(job.root, 'dist'));

const env = { CEN_FLOWLOG_ENDPOINT: job.endpoint, ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true' };
let logLines = 0;
const noopProvider = {
  check: async (_olds, news) => ({ inputs: news, failures: [] }),
  create: async (inputs) => {
    await new Promise((r) => setTimeout(r, job.T * 1000));
    return { id: `noop-${inputs.transitRouterAttachmentId}`, outs: inputs };
  },
};
const provider = job.noop
  ? noopProvider
  : new FlowlogProvider({
      env,
      log: () => {
        logLines++;
      },
    });
const config = { 'alicloud:accessKey': job.accessKeyId, 'alicloud:secretKey': job.accessKeySecret };
provider.configure?.({ config: { get: (k) => config[k] } });

let done = 0;
const errors = [];
const t0 = performance.now();
const report = (extra) => {
  process.stdout.write(
    `${JSON.stringify({
      wallSeconds: (performance.now() - t0) / 1000,
      done,
      rejected: errors.length,
      errorSample: [...new Set(errors)].slice(0, 5),
      logLines,
      peakRssKiB: process.resourceUsage().maxRSS,
      ...extra,
    })}\n`,
  );
  process.exit(0);
};
setTimeout(() => report({ timedOut: true }), job.limitMs);

Promise.all(
  targets.map(async (raw, i) => {
    try {
      const { inputs, failures } = await provider.check({}, { ...raw, flowLogName: `bench-${i}` });
      if (failures.length) throw new Error(`check failed: ${JSON.stringify(failures)}`);
      await provider.create(inputs);
      done++;
    } catch (err) {
      errors.push(String(err?.message ?? err).slice(0, 300));
    }
  }),
).then(() => report({}));
