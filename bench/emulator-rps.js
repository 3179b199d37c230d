#!/usr/bin/env node
/*
 * How many simple signed requests a second the emulator serves (in a child process: one
 * thread, one core; its own CPU time is measured as well as wall clock), and whether
 * DescribeFlowlogs-by-id stays flat as the number of stored flow logs grows.
 * Loopback only, bounded in requests (<= 100,000) and time (60 s per run).
 *
 *   npm run build && node bench/emulator-rps.js [--requests 5000] [--concurrency 32]
 */
'use strict';
const { fork } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { parseArgs } = require('node:util');

const dist = path.join(__dirname, '..', 'dist', 'emulator');

if (process.argv[2] === '--child') {
  const { startEmulator } = require(dist);
  startEmulator({ ratePerSecond: 0, delays: { createMs: 0, modifyMs: 0, deleteMs: 0 } }).then((emu) => {
    const ids = emu.seedFlowLogs(Number(process.argv[3]));
    process.send({
      port: emu.port,
      accessKeyId: emu.accessKeyId,
      accessKeySecret: emu.accessKeySecret,
      sample: ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 100)) === 0),
    });
    let mark = process.cpuUsage();
    process.on('message', (m) => {
      if (m === 'mark') mark = process.cpuUsage();
      if (m === 'stop') {
        const used = process.cpuUsage(mark);
        process.send({ cpuSeconds: (used.user + used.system) / 1e6 }, () => emu.close().then(() => process.exit(0)));
      }
    });
  });
  return;
}

const { acsEncode, v2Signature, v2StringToSign } = require(path.join(dist, 'signature'));
const { values } = parseArgs({
  options: { requests: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '32' } },
});
const REQUESTS = Math.min(Number(values.requests), 100000);
const CONCURRENCY = Math.min(Number(values.concurrency), 256);
const TIME_LIMIT_MS = 60000;

function signedPath(emu, flowLogId, n) {
  const params = {
    Action: 'DescribeFlowlogs',
    Format: 'json',
    Version: '2017-09-12',
    Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    SignatureNonce: `bench-${process.pid}-${n}-${Math.random()}`,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    AccessKeyId: emu.accessKeyId,
    RegionId: 'cn-hangzhou',
    FlowLogId: flowLogId,
  };
  params.Signature = v2Signature(emu.accessKeySecret, v2StringToSign('POST', params));
  return (
    '/?' +
    Object.entries(params)
      .map(([k, v]) => `${acsEncode(k)}=${acsEncode(v)}`)
      .join('&')
  );
}

function post(agent, port, p) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method: 'POST', agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`${res.statusCode} ${body}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(stored) {
  const child = fork(__filename, ['--child', String(stored)], { stdio: 'inherit' });
  const emu = await new Promise((resolve) => child.once('message', resolve));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  // Sign ahead so the loop measures the emulator, not the load generator.
  const paths = Array.from({ length: REQUESTS }, (_, i) => signedPath(emu, emu.sample[i % emu.sample.length], i));
  for (let i = 0; i < 1000; i++) await post(agent, emu.port, signedPath(emu, emu.sample[0], `warm-${i}`));
  child.send('mark');
  let next = 0;
  const deadline = Date.now() + TIME_LIMIT_MS;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < paths.length && Date.now() < deadline) {
        const body = await post(agent, emu.port, paths[next++]);
        if (!body.includes('"TotalCount":"1"')) throw new Error(`unexpected answer ${body.slice(0, 200)}`);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  const stats = new Promise((resolve) => child.once('message', resolve));
  child.send('stop');
  const { cpuSeconds } = await stats;
  await new Promise((resolve) => child.once('exit', resolve));
  return { stored, requests: next, seconds, rps: next / seconds, perCore: next / cpuSeconds };
}

(async () => {
  const small = await run(10);
  const large = await run(10000);
  for (const r of [small, large]) {
    console.log(
      `${String(r.stored).padStart(6)} stored flow logs: ${r.requests} DescribeFlowlogs-by-id in ${r.seconds.toFixed(2)} s` +
        ` = ${Math.round(r.rps)} req/s wall clock, ${Math.round(r.perCore)} req per CPU-second of the emulator`,
    );
  }
  console.log(
    `ratio (10,000 stored / 10 stored), per CPU-second: ${(large.perCore / small.perCore).toFixed(2)}, wall clock: ${(large.rps / small.rps).toFixed(2)} (1.00 = flat)`,
  );
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
