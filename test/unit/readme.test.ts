/**
 * The README and docs/ are the user's reference: they must keep up with the code,
 * and every link between them must lead somewhere. (Every error code is checked
 * in docs/errors.md by error-docs.test.ts, since that page is generated.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_HELP } from '../../src/errors';
import { REPLACE_FIELDS, UPDATE_FIELDS } from '../../src/model/model';
import { isCodeRetried } from '../../scripts/error-docs';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

const root = path.resolve(__dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** Markdown without fenced code blocks (whose `#` lines are not headings and whose text is not links). */
const prose = (md: string): string => md.replace(/^```[\s\S]*?^```/gm, '');

/** The anchors GitHub gives a page's headings: lowercased, punctuation dropped, spaces to `-`, repeats numbered. */
function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, text] of prose(md).matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const base = text!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Every relative link of a page: [page, target]. Code spans are dropped first, keeping a link whose text is code. */
const links = pages.flatMap((page) =>
  [
    ...prose(read(page))
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/\]\(([^)\s]+)\)/g),
  ]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target))
    .map((target): [string, string] => [page, target]),
);

/** The rows of the README's table of the most common errors: [code, retried]. */
const commonErrors = (() => {
  const section = readme.split(/^## The most common errors$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([^`]+)` \| (yes|no) \|/gm)].map((m): [string, string] => [m[1]!, m[2]!]);
})();

describe('README', () => {
  it.each([...REPLACE_FIELDS, ...UPDATE_FIELDS, 'timeouts', 'adopt'])('documents the argument %s', (field) => {
    expect(readme).toMatch(new RegExp(`^\\| \`${field}\` \\|`, 'm'));
  });

  it('names the test command that CI runs', () => {
    const ci = read('.ci/run');
    expect(readme).toContain('npm test');
    expect(ci).toMatch(/^npm test\b/m);
  });

  it('tells how to install the package with the Pulumi SDK', () => {
    expect(readme).toMatch(/^npm install cen-flowlog @pulumi\/pulumi$/m);
  });

  it('states the supported @pulumi/pulumi releases: the peer range package.json declares', () => {
    const pkg = JSON.parse(read('package.json'));
    expect(pkg.dependencies).not.toHaveProperty('@pulumi/pulumi');
    const range = pkg.peerDependencies['@pulumi/pulumi'];
    expect(readme.replace(/\s+/g, ' ')).toContain(`\`@pulumi/pulumi\` is a peer dependency, \`${range}\``);
  });

  it('gives the first program with a tsconfig, the same as examples/first-program, whose modules TypeScript 6 accepts', () => {
    const section = readme.split(/^## A first program$/m)[1]!.split(/^## /m)[0]!;
    const program = /^```ts\n([\s\S]*?)^```/m.exec(section)?.[1];
    const tsconfig = /^```json\n([\s\S]*?)^```/m.exec(section)?.[1];
    expect(program).toBe(read('examples/first-program/index.ts'));
    expect(tsconfig).toBe(read('examples/first-program/tsconfig.json'));
    expect(JSON.parse(tsconfig!).compilerOptions).toMatchObject({ module: 'nodenext', moduleResolution: 'nodenext' });
  });

  it('lists between 6 and 8 of the most common errors, linking to every code', () => {
    expect(commonErrors.length).toBeGreaterThanOrEqual(6);
    expect(commonErrors.length).toBeLessThanOrEqual(8);
    expect(readme).toContain('(docs/errors.md)');
  });

  it.each(commonErrors)('names the real code %s and says truly whether it is retried (%s)', (code, retried) => {
    expect(Object.hasOwn(ERROR_HELP, code)).toBe(true);
    expect(retried).toBe(isCodeRetried(code) ? 'yes' : 'no');
  });
});

describe('links in README.md and docs/', () => {
  it('finds links to check', () => {
    expect(links.length).toBeGreaterThan(20);
  });

  it.each(links)('%s: %s leads to an existing file and heading', (page, target) => {
    const [file, anchor] = target.split('#') as [string, string | undefined];
    const resolved = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
    expect(existsSync(path.join(root, resolved))).toBe(true);
    if (anchor !== undefined) expect([...anchors(read(resolved))]).toContain(anchor);
  });
});
