'use strict';
/**
 * Peak memory of the provider processes a `pulumi` command starts, read from /proc (Linux):
 * every `intervalMs` the watcher walks the CLI's descendants, classifies each by its command
 * line, and keeps the last VmHWM (the kernel's own peak resident set, so a sample only has to
 * come late, not at the peak) of each process it has seen.
 *
 *   plugin   node …/pulumi-resource-cen-flowlog          (the provider plugin)
 *   dynamic  node …/@pulumi/pulumi/cmd/dynamic-provider  (the dynamic-resource host)
 *   program  node …/@pulumi/pulumi/cmd/run               (the program, under the language host)
 */
const fs = require('node:fs');

const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

function childrenOf(pid) {
  let tasks;
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  // A child is listed under the thread that forked it (the Go CLI forks from any of its threads).
  return tasks.flatMap((t) => (read(`/proc/${pid}/task/${t}/children`) ?? '').split(' ').filter(Boolean).map(Number));
}

function descendants(pid) {
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const c of childrenOf(p)) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function classify(cmdline) {
  const args = cmdline.split('\0').filter(Boolean);
  const script = args.slice(1).join(' ');
  if (!/(^|\/)node$/.test(args[0] ?? '')) return undefined;
  // `node -e "require.resolve(…)"`: the launcher looking up the script it will run, not the provider.
  if (args.some((a) => a === '-e' || a === '-p' || a === '--eval' || a === '--print')) return undefined;
  if (/pulumi-resource-cen-flowlog/.test(script)) return 'plugin';
  if (/cmd[/\\]dynamic-provider/.test(script)) return 'dynamic';
  if (/cmd[/\\]run/.test(script)) return 'program';
  return undefined;
}

const kib = (status, field) => {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status ?? '');
  return m ? Number(m[1]) : undefined;
};

/** Watches `rootPid`'s descendants until `stop()`, which resolves with the processes seen: { pid, kind, peakKiB, samples }. */
function watchProviders(rootPid, intervalMs = 100) {
  const seen = new Map();
  const sample = () => {
    for (const pid of descendants(rootPid)) {
      let p = seen.get(pid);
      if (!p) {
        const kind = classify(read(`/proc/${pid}/cmdline`) ?? '');
        if (!kind) continue;
        p = { pid, kind, peakKiB: 0, samples: 0, firstSeenAt: Date.now() };
        seen.set(pid, p);
      }
      const hwm = kib(read(`/proc/${pid}/status`), 'VmHWM');
      if (hwm !== undefined) {
        p.peakKiB = Math.max(p.peakKiB, hwm);
        p.samples++;
        p.lastSeenAt = Date.now();
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    /** One last sample may find nothing (the processes are gone): the peaks seen so far stand. */
    stop() {
      clearInterval(timer);
      sample();
      return [...seen.values()];
    },
  };
}

module.exports = { watchProviders, classify };
