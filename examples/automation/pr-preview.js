#!/usr/bin/env node
// @ts-check
/**
 * A pull-request preview job with the Automation API: select the stack the
 * pull request would change, preview the checked-out program against it
 * (read-only: no flow log is created, changed or deleted), and write a
 * Markdown summary of what `pulumi up` would do to each flow log — to
 * $GITHUB_STEP_SUMMARY when set (GitHub Actions), and to stdout. Exits 1 when
 * the preview fails, e.g. on an invalid input, so the check turns red.
 *
 *   node examples/automation/pr-preview.js [--stack staging] [--work-dir .] [--emulator]
 *
 * In CI the stack's backend and secrets come from the job's environment
 * (PULUMI_BACKEND_URL, PULUMI_CONFIG_PASSPHRASE or PULUMI_ACCESS_TOKEN;
 * ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET or the stack config). `--emulator` runs
 * the whole thing locally instead: it starts the CEN emulator in this process,
 * and a throwaway file backend in a temp folder.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { LocalWorkspace, PulumiCommand } = require('@pulumi/pulumi/automation');

const FLOWLOG_TYPE = 'pulumi-nodejs:dynamic/cen-flowlog:CenFlowlog';
const SYMBOL = {
  create: '+',
  update: '~',
  replace: '+-',
  'create-replacement': '+-',
  'delete-replaced': '+-',
  delete: '-',
  same: ' ',
  read: '>',
  refresh: '~',
};

/**
 * The inputs that differ between the stored and the new state (a dynamic provider's
 * diff says whether, not which: the engine's `diffs` list stays empty).
 * @param {Record<string, unknown> | undefined} olds
 * @param {Record<string, unknown> | undefined} news
 */
function changedInputs(olds = {}, news = {}) {
  const keys = new Set([...Object.keys(olds), ...Object.keys(news)]);
  keys.delete('__provider');
  return [...keys].filter((k) => JSON.stringify(olds[k]) !== JSON.stringify(news[k])).sort();
}

/**
 * Previews `workDir`'s program against `stackName` and returns the Markdown summary.
 * @param {{ workDir: string, stackName: string, envVars?: Record<string, string>, pulumiRoot?: string }} opts
 * @returns {Promise<{ ok: boolean, markdown: string, changeSummary: Record<string, number> }>}
 */
async function previewForPullRequest({ workDir, stackName, envVars = {}, pulumiRoot }) {
  const pulumiCommand = await PulumiCommand.get(pulumiRoot ? { root: pulumiRoot } : undefined);
  const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir }, { envVars, pulumiCommand });
  /** @type {Map<string, string>} resource name -> the step the engine plans for it */
  const plan = new Map();
  /** @type {string[]} */
  const errors = [];
  const onEvent = (/** @type {import('@pulumi/pulumi/automation').EngineEvent} */ e) => {
    const m = e.resourcePreEvent?.metadata;
    if (m && m.type === FLOWLOG_TYPE && !['create-replacement', 'delete-replaced'].includes(m.op)) {
      const fields = m.diffs?.length ? m.diffs : changedInputs(m.old?.inputs, m.new?.inputs);
      const diff = fields.length && m.op !== 'create' ? ` (${fields.join(', ')})` : '';
      plan.set(m.urn.split('::').pop() ?? m.urn, `${m.op}${diff}`);
    }
    if (e.diagnosticEvent?.severity === 'error') errors.push(e.diagnosticEvent.message.trim());
  };
  let changeSummary = {};
  let ok = true;
  try {
    changeSummary = (await stack.preview({ onEvent, diff: true })).changeSummary;
  } catch {
    ok = false; // the engine's diagnostics, collected above, say why
  }
  const lines = [`### Pulumi preview of \`${stackName}\`: ${ok ? 'ok' : 'failed'}`, ''];
  if (plan.size > 0) {
    lines.push('| flow log | planned step |', '| --- | --- |');
    for (const [name, step] of plan)
      lines.push(`| \`${name}\` | \`${SYMBOL[/** @type {keyof SYMBOL} */ (step.split(' ')[0])] ?? ''} ${step}\` |`);
    lines.push('');
  }
  if (ok)
    lines.push(
      `Totals: ${
        Object.entries(changeSummary)
          .map(([op, n]) => `${op} ${n}`)
          .join(', ') || 'no changes'
      }`,
    );
  for (const err of errors) lines.push('```', err, '```');
  return { ok, markdown: `${lines.join('\n')}\n`, changeSummary };
}

async function main() {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string', default: 'pr-preview' },
      'work-dir': { type: 'string' },
      emulator: { type: 'boolean', default: false },
    },
  });
  const workDir = path.resolve(values['work-dir'] ?? path.join(__dirname, '..', '..'));
  /** @type {Record<string, string>} */
  let envVars = {};
  /** @type {{ close(): Promise<void> } | undefined} */
  let emu;
  if (values.emulator) {
    const { startEmulator } = require('cen-flowlog/emulator');
    const started = await startEmulator();
    emu = started;
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), 'cen-flowlog-pr-preview-'));
    envVars = {
      CEN_FLOWLOG_ENDPOINT: started.endpoint,
      PULUMI_BACKEND_URL: `file://${backend}`,
      PULUMI_CONFIG_PASSPHRASE: 'pr-preview-throwaway',
      PULUMI_SKIP_UPDATE_CHECK: 'true',
      ALIBABA_CLOUD_ACCESS_KEY_ID: started.accessKeyId,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: started.accessKeySecret,
      ALIBABA_CLOUD_ECS_METADATA_DISABLED: 'true',
    };
  }
  const stackFile = path.join(workDir, `Pulumi.${values.stack}.yaml`);
  const hadStackFile = fs.existsSync(stackFile);
  try {
    const pulumiRoot = path.join(
      process.env.PULUMI_CLI_ROOT || path.join(os.homedir(), '.pulumi', 'versions', require('@pulumi/pulumi/package.json').version),
    );
    const result = await previewForPullRequest({ workDir, stackName: values.stack ?? 'pr-preview', envVars, pulumiRoot });
    process.stdout.write(result.markdown);
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, result.markdown);
    process.exitCode = result.ok ? 0 : 1;
  } finally {
    await emu?.close();
    if (emu && !hadStackFile) fs.rmSync(stackFile, { force: true }); // the throwaway stack's config file
  }
}

module.exports = { previewForPullRequest };

if (require.main === module) {
  main().catch((err) => {
    console.error(`pr-preview: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  });
}
