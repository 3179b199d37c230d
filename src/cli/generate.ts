/**
 * The bulk-adoption generator: flow logs in, a TypeScript Pulumi program out.
 * One `CenFlowlog` per flow log, every field as the service reports it, and
 * `adopt: "flowlog-…"`, so the first `pulumi up` writes nothing. Pure: no I/O,
 * no clock; the same flow logs always give the same text.
 */
import { checkInputs, checkLogFormat } from '../model/check';
import type { FoundFlowlog } from '../core/lookup';
import { sortedByKey } from '../model/records';
import { DECLARATION_ORDER, withoutSystemTags, type FlowlogInputs, type ListsAll } from '../model/model';

export interface GenerateOptions {
  /** The command line that produced the program, quoted in its header comment. */
  command?: string;
}

const byAge = (a: FoundFlowlog, b: FoundFlowlog): number =>
  (a.creationTime ?? '').localeCompare(b.creationTime ?? '') || a.flowLogId.localeCompare(b.flowLogId);

/** A flow-log name as a resource name: lowercase letters, digits and single hyphens, at most 63 characters. */
export function sanitizeName(name: string | undefined): string {
  return (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * A resource name per flow-log id, unique and stable: the sanitised flow-log name
 * (the id when it has none). Names are handed out oldest flow log first, so a
 * later flow log with the same name gets the suffix (`-` and its id) and the older
 * one keeps its name, and thus its URN, when the program is generated again.
 */
export function resourceNames(flowLogs: readonly FoundFlowlog[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const f of [...flowLogs].sort(byAge)) {
    const base = sanitizeName(f.flowLogName) || f.flowLogId;
    const tail = f.flowLogId.replace(/^flowlog-/, '');
    let name = base;
    if (taken.has(name)) name = `${base}-${tail}`;
    for (let n = 2; taken.has(name); n++) name = `${base}-${tail}-${n}`;
    taken.add(name);
    names.set(f.flowLogId, name);
  }
  return names;
}

const lit = (v: unknown): string => JSON.stringify(v);

/** The arguments as declared in the program, and comments for what could not be declared as reported. */
function declaration(f: FoundFlowlog): { args: Record<string, unknown>; notes: string[]; refusedFormat?: string } {
  const notes: string[] = [];
  const args: Record<GeneratedField, unknown> = {
    regionId: f.regionId,
    cenId: f.cenId,
    transitRouterId: f.transitRouterId,
    transitRouterAttachmentId: f.transitRouterAttachmentId,
    projectName: f.projectName,
    logStoreName: f.logStoreName,
    flowLogName: f.flowLogName || undefined,
    description: f.description || undefined,
    interval: f.interval,
    logFormatString: f.logFormatString || undefined,
    status: f.status,
    // System tags are the platform's: a program may not declare them, and adoption leaves them on the flow log.
    tags: withoutSystemTags(f.tags ?? {}),
    adopt: f.flowLogId,
  };
  const refusedFormat = args.logFormatString !== undefined && checkLogFormat(args.logFormatString) ? f.logFormatString : undefined;
  if (refusedFormat) {
    // Left unset, the log format is "whatever the service has": adoption neither checks nor changes it.
    notes.push('logFormatString is left unset: see the note at the top.');
    args.logFormatString = undefined;
  }
  if (f.status === 'Creating') args.status = 'Active';
  else if (f.status !== 'Active' && f.status !== 'Inactive') {
    notes.push(`status was ${lit(f.status)} when this was generated: declare "Active" or "Inactive" (unset means "Active").`);
    args.status = undefined;
  }
  for (const failure of checkInputs(args).failures) notes.push(`check() will refuse this: ${failure.reason}`);
  return { args, notes, refusedFormat };
}

/** `timeouts` is left to the user: the service knows nothing of it. */
const FIELD_ORDER = DECLARATION_ORDER.filter((f): f is Exclude<typeof f, 'timeouts'> => f !== 'timeouts');
type GeneratedField = (typeof FIELD_ORDER)[number];
/** Every input but the timeouts is declared (a generated program takes the default timeouts). */
const _complete: ListsAll<Exclude<keyof FlowlogInputs, 'timeouts'>, GeneratedField> = true;

function renderTags(tags: Record<string, string>, indent: string): string {
  const entries = Object.entries(sortedByKey(Object.entries(tags)));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${indent}  ${lit(k)}: ${lit(v)},`).join('\n')}\n${indent}}`;
}

function renderResource(name: string, args: Record<string, unknown>, notes: string[]): string {
  const lines = notes.map((n) => `  // ${n}`);
  lines.push(`  ${lit(name)}: new CenFlowlog(${lit(name)}, {`);
  for (const field of FIELD_ORDER) {
    const v = args[field];
    if (v === undefined) continue;
    lines.push(`    ${field}: ${field === 'tags' ? renderTags(v as Record<string, string>, '    ') : lit(v)},`);
  }
  lines.push('  }),');
  return lines.join('\n');
}

/** The program: a header, one `CenFlowlog` per flow log (a Deleting one is left out), and their ids as a stack output. */
export function generateProgram(flowLogs: readonly FoundFlowlog[], opts: GenerateOptions = {}): string {
  const kept = [...flowLogs].sort(byAge).filter((f) => f.status !== 'Deleting');
  const dropped = flowLogs
    .filter((f) => f.status === 'Deleting')
    .map((f) => f.flowLogId)
    .sort();
  const names = resourceNames(kept);
  const declared = kept.map(declaration);
  const refused = [...new Set(declared.map((d) => d.refusedFormat).filter((v): v is string => v !== undefined))].sort();
  const header = [
    '/**',
    ...(opts.command ? [` * Generated by \`${opts.command.replace(/\*\//g, '*\\/')}\`.`] : [' * Generated by `cen-flowlog generate`.']),
    ` * ${kept.length} flow log${kept.length === 1 ? '' : 's'}, each adopted by id: the first \`pulumi up\` records them in`,
    ' * the stack and changes nothing, as every field below is what the service reported.',
    ' * From then on they are managed like any CenFlowlog (`pulumi destroy` deletes them);',
    ' * `adopt` is only read at create and may be removed after the first `up`.',
    ...(dropped.length > 0 ? [` * Left out, being deleted: ${dropped.join(', ')}.`] : []),
    ...refused.flatMap((format) => [
      ` * logFormatString is left unset where the service reports ${lit(format)}:`,
      ` * check() refuses it as a declared value (it ${checkLogFormat(format)!.replace(/, got .*$/s, '')}).`,
      ' * Unset, the log format stays as the service has it and never shows as a change.',
    ]),
    ' */',
  ];
  const body = kept.map((f, i) => renderResource(names.get(f.flowLogId)!, declared[i]!.args, declared[i]!.notes));
  return [
    ...header,
    "import { CenFlowlog } from 'cen-flowlog';",
    '',
    `const flowLogs: Record<string, CenFlowlog> = {${body.length > 0 ? `\n${body.join('\n')}\n` : ''}};`,
    '',
    '/** Resource name → flow-log id. */',
    'export const flowLogIds = Object.fromEntries(Object.entries(flowLogs).map(([name, f]) => [name, f.flowLogId]));',
    '',
  ].join('\n');
}
