/**
 * The folders of src/ are floors: a module imports only from its own folder or from a lower floor, so the model
 * never reaches for the wire and the core never for a front door. The emulator stands apart: it reads the service's
 * facts from the model and nothing else of the provider's, and only the emulator's own entry point reaches it.
 * Reads the import lines of the sources; no build needed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

/** Floor of each folder (a file at the top of src/ is its own folder, named without `.ts`). Lower imports nothing higher. */
const FLOORS: Record<string, number> = {
  errors: 0,
  model: 1,
  transport: 2,
  pacing: 3,
  waiting: 4,
  core: 5,
  // the two front doors, side by side
  dynamic: 6,
  plugin: 6,
  lookup: 7,
  cli: 8,
  index: 9,
};

/** What the emulator may import from outside its folder. */
const EMULATOR_MAY_IMPORT = new Set(['model/facts.ts']);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The src-relative files a module imports (static imports, re-exports, `import()` and `require()` of relative paths). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specs.map((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
    if (!found) throw new Error(`${path.relative(SRC, file)} imports ${spec}, which is no source file`);
    return path.relative(SRC, found).split(path.sep).join('/');
  });
}

const folderOf = (rel: string): string => (rel.includes('/') ? rel.split('/')[0] : rel.replace(/\.ts$/, ''));

const graph = sources(SRC).map((file) => {
  const rel = path.relative(SRC, file).split(path.sep).join('/');
  return { rel, folder: folderOf(rel), imports: importsOf(file) };
});

describe('layers', () => {
  it('gives every folder of src/ a floor (or is the emulator)', () => {
    const unknown = [...new Set(graph.map((m) => m.folder))].filter((f) => f !== 'emulator' && !(f in FLOORS));
    expect(unknown).toEqual([]);
  });

  it('has no import that climbs a floor or crosses to a folder on the same floor', () => {
    const climbing = graph
      .filter((m) => m.folder !== 'emulator')
      .flatMap((m) => m.imports.filter((d) => folderOf(d) !== m.folder).map((d) => ({ from: m.rel, to: d })))
      .filter(({ from, to }) => !(FLOORS[folderOf(to)] < FLOORS[folderOf(from)]))
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(climbing).toEqual([]);
  });

  it('keeps the emulator apart: it imports only the model facts, and nothing outside it imports it', () => {
    const out = graph
      .filter((m) => m.folder === 'emulator')
      .flatMap((m) => m.imports.filter((d) => folderOf(d) !== 'emulator' && !EMULATOR_MAY_IMPORT.has(d)).map((d) => `${m.rel} -> ${d}`));
    const into = graph
      .filter((m) => m.folder !== 'emulator')
      .flatMap((m) => m.imports.filter((d) => folderOf(d) === 'emulator').map((d) => `${m.rel} -> ${d}`));
    expect({ out, into }).toEqual({ out: [], into: [] });
  });

  it('keeps the facts the emulator shares free of imports, so the emulator loads nothing else of the provider', () => {
    expect(graph.filter((m) => EMULATOR_MAY_IMPORT.has(m.rel)).flatMap((m) => m.imports)).toEqual([]);
  });
});
