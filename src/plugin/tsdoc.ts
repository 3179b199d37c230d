/**
 * The TSDoc of the model's interfaces, read from the module's own source or
 * declaration file (tsc keeps comments in `.d.ts`), so the schema's
 * descriptions are the ones a TypeScript user sees, never a second copy.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** `@default x` reads as "Default: x."; comment stars and line breaks go. */
function clean(comment: string): string {
  return comment
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .join(' ')
    .replace(/\s*@default\s+/g, ' Default: ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The doc comment of each member of `interfaceName` in `file` (a path without extension, beside this package's build). */
export function memberDocs(file: string, interfaceName: string): Map<string, string> {
  const candidates = [`${file}.d.ts`, `${file}.ts`];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`The schema's descriptions come from ${candidates.join(' or ')}, and neither exists`);
  const text = readFileSync(found, 'utf8');
  const start = new RegExp(`export (?:declare )?interface ${interfaceName}\\b[^{]*\\{`).exec(text);
  if (!start) throw new Error(`${path.basename(found)} declares no interface ${interfaceName}`);
  const body = text.slice(start.index + start[0].length, text.indexOf('\n}', start.index));
  const docs = new Map<string, string>();
  for (const m of body.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:readonly\s+)?(\w+)\??:/g)) docs.set(m[2]!, clean(m[1]!));
  return docs;
}
