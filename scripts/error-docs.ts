/**
 * Renders docs/errors.md from the code's own facts: the help text of every
 * code (ERROR_HELP), whether the provider retries it (isRetryable, on the
 * error the client would make for that code), and the package's error classes
 * (name and code read from an instance). `npm run docs:errors` writes the
 * file; a unit test fails when the committed file differs, so the page cannot
 * drift from the code. Pure: no I/O.
 */
import { toCenApiError } from '../src/transport/client';
import { isRetryable, RETRYABLE_CODES } from '../src/pacing/retry';
import * as errors from '../src/errors';
import { ERROR_HELP } from '../src/errors';

/** Where the committed page lives, relative to the repository root. */
export const ERROR_DOCS_PATH = 'docs/errors.md';

/** One of the package's error classes: an instance (for its `name` and `code`) and when it is thrown. */
interface ClassDoc {
  sample: Error & { code: string };
  when: string;
}

/** Every error class src/errors.ts exports except CenApiError (which has the code table). A test checks none is missing. */
export const ERROR_CLASSES: readonly ClassDoc[] = [
  {
    sample: new errors.FlowlogWaitTimeoutError('flowlog-x', 'Creating', 0, 'Active'),
    when: "A wait (for `Active`, `Inactive` or gone) reached the operation's deadline (the `timeouts` argument). The message names the flow log, its last status and the time waited. The operation may still complete: `pulumi refresh` shows where it got to; or raise `timeouts` and run `pulumi up` again.",
  },
  {
    sample: new errors.FlowlogStatusError('flowlog-x', 'Deleting', 'Active', 0),
    when: 'While waiting, the flow log showed a status from which the wanted one cannot follow by itself (e.g. `Deleting` while creating), or it vanished: someone changed it outside Pulumi. Fails at once instead of waiting for the deadline. `pulumi refresh`, then `pulumi up`.',
  },
  {
    sample: new errors.FlowlogPartialError('flowlog-x', {}, [], undefined),
    when: 'The flow log exists but the operation did not finish (a wait timed out, a deactivate after create failed). It carries `id`, `properties` and `reasons`, so the engine records the flow log in the stack instead of orphaning it; the next `pulumi up` continues from there. `cause` is the underlying error.',
  },
  {
    sample: new errors.FlowlogAdoptionError(''),
    when: '`adopt` found no flow log to take over, or one whose replace-on-change fields differ from the declared ones (each named with the declared and the actual value). Nothing is changed.',
  },
  {
    sample: new errors.FlowlogAlreadyExistsError(undefined, '', undefined),
    when: 'A create was refused because the transit router or attachment already has a flow log (`Flowlog.AlreayExist` or `InvalidFlowlogId.exist`, the `cause`). The message names that flow log (`existingId`) and the `adopt: "flowlog-…"` to add.',
  },
  {
    sample: new errors.FlowlogLogDestinationGoneError('flowlog-x', 'flowlog-project', 'flowlog-logstore', undefined),
    when: "A delete was refused with `ProjectOrLogstoreNotExist` or `SourceProjectNotExist` (the flow log's Log Service project or Logstore was removed first, e.g. in the same `pulumi destroy`) and DescribeFlowlogs still lists the flow log, so it was not deleted. Thrown at once, never retried. Recreate the project and Logstore and run `pulumi destroy` again, or `pulumi state delete` the resource and delete the flow log in the console. (When the service no longer lists it, the delete succeeds.)",
  },
  {
    sample: new errors.FlowlogGoneError('flowlog-x', 'cn-hangzhou'),
    when: 'An update found that the flow log in the stack no longer exists: it was deleted outside Pulumi. `pulumi refresh` drops it from the stack; `pulumi up` then creates it again. (A refresh of a deleted flow log is not an error: it drops it.)',
  },
  {
    sample: new errors.FlowlogNotFoundError('flowlog-x', 'cn-hangzhou'),
    when: "`pulumi import` (through the provider plugin) named a flow-log id that does not exist in the provider's region, or no region is set. Nothing is added to the stack.",
  },
  {
    sample: new errors.OperationCancelledError(),
    when: 'The engine cancelled the operation (Ctrl-C, `pulumi cancel`; provider plugin only): its waits ended at once. A flow log that already existed is recorded as a partial failure, so `pulumi refresh` and `pulumi up` continue from there.',
  },
  {
    sample: new errors.FlowlogFilterError([]),
    when: "`getFlowlogs` got a bad filter value; nothing was sent. `failures` holds one `{ property, reason }` per filter, with the same reason the resource's `check()` gives for that field.",
  },
];

/** Whether the provider retries a failure with this code, judged on the error the client makes for it. */
export function isCodeRetried(code: string): boolean {
  // A Node network failure carries its code on the error (`ECONNRESET`); the client classifies it from there.
  return isRetryable(toCenApiError('Docs', { code }));
}

/** Markdown-safe table cell: `|` escaped everywhere, `*` outside code spans (`cen:*Flowlog*` is not emphasis). */
function cell(text: string): string {
  return text
    .split('`')
    .map((part, i) => (i % 2 === 0 ? part.replace(/\*/g, '\\*') : part))
    .join('`')
    .replace(/\|/g, '\\|');
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function classTable(): string[] {
  const rows = ERROR_CLASSES.map(
    ({ sample, when }) => `| \`${sample.name}\` | \`${sample.code}\` | ${yesNo(isRetryable(sample))} | ${cell(when)} |`,
  );
  return [
    '| Error (`name`) | `code` | Retried | When |',
    '|---|---|---|---|',
    "| `CenApiError` | the API or network code: [table below](#api-and-network-codes) | per code | A call to the CEN API failed: the service answered with an error, or no answer came. Fields: `action`, `code`, `statusCode`, `requestId`, `serverMessage` (the service's text), `network` (no HTTP answer), `flowLogId`, `why` and `fix` (from the table below), `cause` (the underlying error). After retries also `attempts`, `elapsedMs` and `outcomeUnknown` (some attempt got no answer, so a write may have happened). |",
    ...rows,
  ];
}

function codeTable(): string[] {
  const rows = Object.entries(ERROR_HELP).map(
    ([code, { why, fix }]) => `| \`${code}\` | ${yesNo(isCodeRetried(code))} | ${cell(why)} | ${cell(fix)} |`,
  );
  return ['| Code | Retried | Why | Fix |', '|---|---|---|---|', ...rows];
}

/** The whole of docs/errors.md. */
export function renderErrorDocs(): string {
  const listed = [...RETRYABLE_CODES].map((c) => `\`${c}\``).join(', ');
  const lines = [
    '# Errors',
    '',
    '<!-- Generated by `npm run docs:errors` from src/errors.ts (ERROR_HELP and the error classes) and',
    '     src/pacing/retry.ts (isRetryable). Do not edit: a unit test fails when this file differs from the code. -->',
    '',
    'Every failure of `CenFlowlog`, `getFlowlogs` and `cen-flowlog generate` is one of the typed errors',
    'below, each with a stable `name` and `code`. Match those, never the message text. Every message',
    'says what happened, to which flow log, and what to do about it; `cause` is always the underlying error.',
    'The [README](../README.md#the-most-common-errors) lists the most common ones.',
    '',
    '## Error classes',
    '',
    ...classTable(),
    '',
    '## API and network codes',
    '',
    'A `CenApiError` message reads',
    "`<Action> failed: <code> (HTTP <status>): <the service's text> <why> <fix> (request id: …)`, e.g.",
    '',
    '```',
    'CreateFlowlog failed: InvalidParameter.LogFormatString (HTTP 400): LogFormatString is invalid. The log format is invalid. Set `logFormatString` to … (request id: 54B48E3D-…)',
    '```',
    '',
    '**Retried** means the provider sends the same request again, with exponential backoff and full',
    "jitter, until the operation's deadline (the resource's `timeouts`; 2 minutes for `getFlowlogs`",
    'and `cen-flowlog generate` unless given). A throttled request waits at least the time the service',
    'names in its rate-limit headers. Every write keeps one `ClientToken` across its retries, so a retry',
    'never makes a second flow log. The retried codes are',
    `${listed}, every other \`Throttling*\` code, any answer with HTTP status 500 or above whatever its`,
    'code, and every network failure (no HTTP answer: the `E…` codes). Parameter, permission,',
    'credential and signature errors are never retried.',
    '',
    'A code the table does not list gets the help of its family (`InvalidParameter.Interval` shows',
    "`InvalidParameter`'s); failing that, a network failure gets generic network help, HTTP 5xx gets",
    "`InternalError`'s, HTTP 403 gets `Forbidden.RAM`'s, and anything else \"The service rejected the",
    'request."',
    '',
    ...codeTable(),
    '',
  ];
  return lines.join('\n');
}
