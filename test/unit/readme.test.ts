/** The README is the user's reference: it must keep up with the code. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_HELP } from '../../src/errors';
import { REPLACE_FIELDS, UPDATE_FIELDS } from '../../src/model/model';

const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('README', () => {
  it.each(Object.keys(ERROR_HELP))('explains the error code %s', (code) => {
    expect(readme).toContain(`| \`${code}\` |`);
  });

  it.each([...REPLACE_FIELDS, ...UPDATE_FIELDS, 'timeouts', 'adopt'])('documents the argument %s', (field) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${field}\` \\|`, 'm'));
  });

  it('names the test command that CI runs', () => {
    const ci = readFileSync(path.resolve(__dirname, '../../.ci/run'), 'utf8');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test\b/m);
  });
});
