/** What a preview shows before a create or an in-place update runs. */
import { previewCreate, previewUpdate } from '../../src/model/preview';
import { UNKNOWN } from '../../src/model/check';
import type { FlowlogOutputs, NormalizedInputs } from '../../src/model/model';

const inputs: NormalizedInputs = {
  regionId: 'cn-hangzhou',
  cenId: 'cen-1',
  transitRouterId: 'tr-1',
  projectName: 'project',
  logStoreName: 'store',
  description: 'first',
  tags: { team: 'net' },
  status: 'Active',
};
const recorded: FlowlogOutputs = {
  ...inputs,
  interval: 600,
  logFormatString: '${srcaddr}${dstaddr}${bytes}',
  flowLogId: 'flowlog-1',
  creationTime: '2026-01-01T00:00:00Z',
  flowLogVersion: '3',
};

describe('previewCreate', () => {
  it('shows the declared fields known and what the service fills in unknown', () => {
    expect(previewCreate(inputs)).toEqual({
      ...inputs,
      interval: UNKNOWN,
      logFormatString: UNKNOWN,
      flowLogId: UNKNOWN,
      creationTime: UNKNOWN,
      flowLogVersion: UNKNOWN,
    });
  });

  it('keeps a declared interval known', () => {
    expect(previewCreate({ ...inputs, interval: 60 }).interval).toBe(60);
  });
});

describe('previewUpdate', () => {
  it.each([
    ['a new description', { description: 'second' }, { ...recorded, description: 'second' }],
    ['a description cleared', { description: undefined }, (({ description: _d, ...rest }) => rest)(recorded)],
    ['new tags', { tags: { team: 'ops' } }, { ...recorded, tags: { team: 'ops' } }],
    ['a description not known until apply', { description: UNKNOWN }, { ...recorded, description: UNKNOWN }],
    ['an unset interval (the service keeps its own)', { interval: undefined, status: 'Inactive' }, { ...recorded, status: 'Inactive' }],
  ])('keeps the id, creation time and every unchanged field known for %s', (_what, change, expected) => {
    expect(previewUpdate(recorded, { ...inputs, ...change } as NormalizedInputs)).toEqual(expected);
  });
});
