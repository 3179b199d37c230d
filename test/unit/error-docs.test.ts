/** docs/errors.md is generated from the code; these tests keep the committed page equal to it. */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as errors from '../../src/errors';
import { CenApiError, ERROR_HELP } from '../../src/errors';
import { RETRYABLE_CODES } from '../../src/pacing/retry';
import { ERROR_CLASSES, ERROR_DOCS_PATH, isCodeRetried, renderErrorDocs } from '../../scripts/error-docs';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const file = path.resolve(__dirname, '../..', ERROR_DOCS_PATH);
const committed = existsSync(file) ? readFileSync(file, 'utf8') : `(${ERROR_DOCS_PATH} is missing)`;
const rendered = renderErrorDocs();
/** The code table's rows: code → [retried, why, fix] as rendered. */
const rows = new Map([...rendered.matchAll(/^\| `([^`]+)` \| (yes|no) \| (.*) \| (.*) \|$/gm)].map((m) => [m[1]!, m.slice(2)]));

describe('docs/errors.md', () => {
  it('is what `npm run docs:errors` generates from the code (run it after changing an error)', () => {
    expect(committed).toBe(rendered);
  });

  it.each(Object.keys(ERROR_HELP))('has a row for the error code %s', (code) => {
    expect(rows.has(code)).toBe(true);
  });

  it.each([
    ['Throttling.User', 'yes'],
    ['ServiceUnavailable', 'yes'],
    ['IncorrectStatus.flowlog', 'yes'],
    ['ECONNRESET', 'yes'],
    ['ENOTFOUND', 'yes'],
    ['RequestTimeout', 'yes'],
    ['InvalidParameter', 'no'],
    ['SignatureDoesNotMatch', 'no'],
    ['Flowlog.AlreayExist', 'no'],
    ['DeadlineExceeded', 'no'],
    ['CredentialsNotFound', 'no'],
  ])('says whether %s is retried: %s', (code, retried) => {
    expect(rows.get(code)?.[0]).toBe(retried);
  });

  it.each([...RETRYABLE_CODES])('marks the retryable code %s as retried', (code) => {
    expect(isCodeRetried(code)).toBe(true);
  });

  it('shows the help text the error itself carries', () => {
    const err = new CenApiError({ action: 'CreateFlowlog', code: 'Unauthorized', statusCode: 400 });
    // `*` is escaped outside code spans so that `cen:*Flowlog*` is not rendered as emphasis.
    expect(rows.get('Unauthorized')?.[1]).toBe(err.why);
    expect(rows.get('Unauthorized')?.[2]).toBe(err.fix.replace(/\*/g, '\\*'));
  });

  it('lists every error class the package exports, with its name and code', () => {
    const exported = (Object.values(errors) as unknown[])
      .filter((v): v is ErrorConstructor => typeof v === 'function' && v.prototype instanceof Error)
      .map((c) => c.name)
      .filter((n) => n !== 'CenApiError')
      .sort();
    expect(ERROR_CLASSES.map((c) => c.sample.constructor.name).sort()).toEqual(exported);
    for (const { sample } of ERROR_CLASSES) expect(rendered).toContain(`| \`${sample.name}\` | \`${sample.code}\` |`);
  });
});
