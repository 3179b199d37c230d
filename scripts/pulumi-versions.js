#!/usr/bin/env node
'use strict';
/**
 * The Pulumi releases we test, each read from the one place it is written:
 *  - pinned: the exact @pulumi/pulumi pin in package.json (devDependencies; `dependencies` in older checkouts).
 *    The CLI of the same version builds our tests and `npm test` runs on it.
 *  - newest: scripts/pulumi-cli/newest-version, the newest release that both npm (@pulumi/pulumi) and the Go module
 *    proxy (github.com/pulumi/pulumi/pkg/v3) serve. `.ci/run` runs the e2e suites on it too.
 *  - the Python SDK of a CLI release: the same version when PyPI has it (the pin), else
 *    scripts/pulumi-cli/newest-python-sdk, the newest final `pulumi` release on PyPI (PyPI lags npm: no 3.276.0 there).
 * The CLI wrapper module of each version is scripts/pulumi-cli/cli/v<version>/ (get-pulumi.sh checks it matches).
 *
 * From a shell: `node scripts/pulumi-versions.js pinned|newest` prints that version.
 */
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const EXACT = /^\d+\.\d+\.\d+$/;

function pinned(root = REPO) {
  const file = path.join(root, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const pin = pkg.devDependencies?.['@pulumi/pulumi'] ?? pkg.dependencies?.['@pulumi/pulumi'];
  if (typeof pin !== 'string' || !EXACT.test(pin)) {
    throw new Error(`Expected ${file} to pin @pulumi/pulumi to an exact version (x.y.z) in devDependencies, got ${JSON.stringify(pin)}`);
  }
  return pin;
}

function newest(root = REPO) {
  const file = path.join(root, 'scripts', 'pulumi-cli', 'newest-version');
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!EXACT.test(text)) throw new Error(`Expected ${file} to hold one exact version (x.y.z), got ${JSON.stringify(text.slice(0, 40))}`);
  return text;
}

/** The `pulumi` Python package the language e2e suites install beside CLI `cli`. */
function pythonSdk(cli, root = REPO) {
  if (cli !== newest(root)) return cli;
  const file = path.join(root, 'scripts', 'pulumi-cli', 'newest-python-sdk');
  const text = fs.readFileSync(file, 'utf8').trim();
  if (!EXACT.test(text)) throw new Error(`Expected ${file} to hold one exact version (x.y.z), got ${JSON.stringify(text.slice(0, 40))}`);
  return text;
}

module.exports = { pinned, newest, pythonSdk };

if (require.main === module) {
  const which = process.argv[2];
  const read = { pinned, newest }[which];
  if (!read || !Object.hasOwn({ pinned, newest }, which)) {
    console.error(`usage: node scripts/pulumi-versions.js pinned|newest (got ${JSON.stringify(which)})`);
    process.exit(2);
  }
  try {
    console.log(read());
  } catch (err) {
    console.error(`pulumi-versions: ${err.message}`);
    process.exit(1);
  }
}
