#!/usr/bin/env node
// Runs every benchmark in turn; each prints counts and ratios.
const { execFileSync } = require('node:child_process');
for (const script of ['emulator-rps.js', 'poll-sharing.js']) {
  console.log(`\n== bench/${script}`);
  execFileSync(process.execPath, [require('node:path').join(__dirname, script)], { stdio: 'inherit' });
}
