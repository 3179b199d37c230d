#!/usr/bin/env node
// Writes docs/errors.md from the package's own error table (scripts/error-docs.ts, not shipped in dist).
// `npm run docs:errors` compiles that renderer (scripts/tsconfig.json) first, then runs this. test/unit/error-docs.test.ts fails
// when the committed file differs from what this writes.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { renderErrorDocs, ERROR_DOCS_PATH } = require(path.join(root, 'node_modules', '.cache', 'error-docs', 'scripts', 'error-docs.js'));
const target = path.join(root, ERROR_DOCS_PATH);
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, renderErrorDocs());
console.log(`wrote ${ERROR_DOCS_PATH}`);
