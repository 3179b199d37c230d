/**
 * Alibaba's Python SDK for Cbn 2017-09-12 (PyPI alibabacloud-cbn20170912 on alibabacloud-tea-openapi,
 * every version pinned in python/requirements.txt) against the emulator: the lifecycle, tags, every
 * error answer, throttling as its ThrottlingException, and strict decoding into the SDK's models.
 * This file starts the emulators in-process, makes the venv (python-toolchain.ts) and runs
 * python/conformance.py; without Python or PyPI it fails, saying what is missing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { findPython, pinnedRequirements, preparedVenv, PYTHON_DIR, PYTHON_INSTALL_HELP } from './python-toolchain';
import { describeSdkProgram, existsOnly } from './suite';

process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = 'true';

/** A cold pip install takes a minute or two; the tests themselves a few seconds. */
const PIP_TIMEOUT_MS = 6 * 60_000;

describeSdkProgram("Alibaba's Python SDK against the emulator", {
  runsToTheEnd: 'runs conformance.py to the end (exit 0)',
  command: 'conformance.py',
  language: 'Python',
  /** Every test of python/conformance.py, with what it proves. */
  tests: [
    ['test_strict_decoding_refuses_what_the_model_does_not_say', 'the strict check refuses unknown, missing, null and mistyped fields'],
    ['test_lifecycle_with_v3_signatures', 'create, describe, modify, deactive, active, delete; every answer strictly decoded (ACS3)'],
    ['test_lifecycle_with_v2_signatures', 'the same lifecycle with HMAC-SHA1 signatures'],
    ['test_tags_including_untag_all_true', 'TagResources, ListTagResources, UntagResources by key and with All=True'],
    ['test_errors_decode_as_sdk_exceptions', 'ClientException / ServerException with the code, status and request id'],
    [
      'test_throttling_is_a_throttling_exception_with_the_wait',
      'Throttling.User as ThrottlingException, retry_after from x-acs-retry-after',
    ],
    ['test_runs_the_pinned_sdk_versions', 'the venv holds exactly the versions of requirements.txt'],
  ],
  prepareTimeoutMs: PIP_TIMEOUT_MS,
  prepare: async () => ({
    file: await preparedVenv(findPython(process.env), PIP_TIMEOUT_MS),
    args: [path.join(PYTHON_DIR, 'conformance.py')],
    cwd: PYTHON_DIR,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
    config: { requirements: pinnedRequirements(readFileSync(path.join(PYTHON_DIR, 'requirements.txt'), 'utf8')) },
  }),
});

describe('finding Python and reading requirements.txt', () => {
  it.each([
    [
      'PYTHON when set',
      { PYTHON: '/opt/py/bin/python3', PATH: '/usr/bin' },
      existsOnly('/opt/py/bin/python3', '/usr/bin/python3'),
      '/opt/py/bin/python3',
    ],
    ['the first python3 on PATH', { PATH: '/a:/b' }, existsOnly('/b/python3'), '/b/python3'],
  ])('finds %s', (_what, env, exists, want) => {
    expect(findPython(env, exists)).toBe(want);
  });

  it.each([
    ['no python3 on PATH', { PATH: '/usr/bin' }, /python3 was not found/],
    ['PYTHON naming a missing file', { PYTHON: '/nope/python3', PATH: '/usr/bin' }, /PYTHON is set to \/nope\/python3/],
  ])('fails with what to install when there is %s', (_what, env, why) => {
    expect(() => findPython(env, existsOnly())).toThrow(why);
    expect(() => findPython(env, existsOnly())).toThrow(PYTHON_INSTALL_HELP);
  });

  it('reads name==version pins, skipping comments', () => {
    expect(pinnedRequirements('# c\nalibabacloud-cbn20170912==1.4.0\n\nrequests==2.34.2  # why\n')).toEqual({
      'alibabacloud-cbn20170912': '1.4.0',
      requests: '2.34.2',
    });
  });

  it.each(['requests>=2', 'requests', 'requests==2.*'])('refuses %p: every requirement is pinned exactly', (line) => {
    expect(() => pinnedRequirements(line)).toThrow(/not pinned/);
  });
});
