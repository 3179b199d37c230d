#!/usr/bin/env node
// Makes this checkout resolvable as `require('cen-flowlog')` from inside itself,
// as it is in a user's project where the package is installed: the serialized
// provider shim loads the implementation by that bare name at call time, and
// the bundled Pulumi project, the tests and the demo run from this folder.
// `npm run build` runs it (the link leads to dist/, which the build makes), and so does
// the demo. Not an install script: the published package would then carry one, and npm
// warns about every install script a user's project has not allowed.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const name = require(path.join(root, 'package.json')).name;
const link = path.join(root, 'node_modules', name);

if (!fs.existsSync(path.join(root, 'node_modules'))) process.exit(0);
try {
  const current = fs.realpathSync(link);
  if (current === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  // absent: create it below
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, 'dir');
console.log(`linked node_modules/${name} -> ${path.relative(root, root) || '.'}`);
