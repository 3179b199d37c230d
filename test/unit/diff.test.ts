import { UNKNOWN } from '../../src/model/check';
import { diffFlowlog } from '../../src/model/diff';

const olds = {
  flowLogId: 'flowlog-1',
  regionId: 'cn-hangzhou',
  cenId: 'cen-1',
  transitRouterId: 'tr-1',
  transitRouterAttachmentId: 'tr-attach-1',
  projectName: 'p-one',
  logStoreName: 's-one',
  flowLogName: 'name',
  description: 'desc',
  interval: 600,
  logFormatString: '${srcaddr}${dstaddr}${bytes}${srcport}',
  tags: { team: 'net' },
  status: 'Active',
  creationTime: '2026-01-01T00:00:00Z',
  __provider: 'old text',
};
const news = (o: Record<string, unknown> = {}) => {
  const { flowLogId: _1, creationTime: _2, ...inputs } = olds;
  return { ...inputs, __provider: 'new text', ...o };
};

describe('diff', () => {
  it('reports no change when nothing changed, even if the provider text did', () => {
    expect(diffFlowlog(olds, news())).toMatchObject({ changes: false, replaces: [], updates: [] });
  });

  it.each([
    ['regionId', 'cn-shanghai'],
    ['cenId', 'cen-2'],
    ['transitRouterId', 'tr-2'],
    ['transitRouterAttachmentId', 'tr-attach-2'],
    ['projectName', 'p-two'],
    ['logStoreName', 's-two'],
    ['logFormatString', '${srcaddr}${dstaddr}${bytes}'],
  ])('replaces when %s changes', (field, value) => {
    const d = diffFlowlog(olds, news({ [field]: value }));
    expect(d.changes).toBe(true);
    expect(d.replaces).toEqual([field]);
  });

  it.each([
    ['flowLogName', 'other'],
    ['description', 'other'],
    ['interval', 60],
    ['status', 'Inactive'],
    ['tags', { team: 'sec' }],
    ['tags', {}],
    ['tags', { team: 'net', env: 'prod' }],
  ])('updates in place when %s changes to %j', (field, value) => {
    const d = diffFlowlog(olds, news({ [field]: value }));
    expect(d).toMatchObject({ changes: true, replaces: [], updates: [field], deleteBeforeReplace: false });
    expect(d.stables).toContain('flowLogId');
  });

  it.each([
    ['projectName', 'p-two'],
    ['logFormatString', '${srcaddr}${dstaddr}${bytes}'],
    ['logStoreName', 's-two'],
  ])('deletes before replacing when %s changes on the same attachment', (field, value) => {
    expect(diffFlowlog(olds, news({ [field]: value })).deleteBeforeReplace).toBe(true);
  });

  it('creates before deleting when the replacement moves to another attachment', () => {
    expect(diffFlowlog(olds, news({ transitRouterAttachmentId: 'tr-attach-2' })).deleteBeforeReplace).toBe(false);
  });

  it('deletes before replacing when the location is unknown during preview', () => {
    const d = diffFlowlog(olds, news({ transitRouterAttachmentId: UNKNOWN }));
    expect(d).toMatchObject({ replaces: ['transitRouterAttachmentId'], deleteBeforeReplace: true });
  });

  it.each(['interval', 'logFormatString'])('never diffs %s left unset (the service fills it in)', (field) => {
    expect(diffFlowlog(olds, news({ [field]: undefined })).changes).toBe(false);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
  ])('treats a missing description and %s as equal', (_what, value) => {
    const { description: _d, ...withoutDescription } = olds;
    expect(diffFlowlog(withoutDescription, news({ description: value })).changes).toBe(false);
  });

  it('treats missing tags and an empty map as equal', () => {
    const { tags: _t, ...untagged } = olds;
    expect(diffFlowlog(untagged, news({ tags: {} })).changes).toBe(false);
  });

  it('shows no change for system tags recorded in the state (e.g. by an older version) but not declared', () => {
    const recorded = { ...olds, tags: { 'acs:rm:rgId': 'rg-1', aliyunCreator: 'ros', 'https://x': 'y', team: 'net' } };
    expect(diffFlowlog(recorded, news({ tags: { team: 'net' } }))).toMatchObject({ changes: false, updates: [] });
    expect(diffFlowlog(recorded, news({ tags: { team: 'ops' } }))).toMatchObject({ changes: true, updates: ['tags'] });
  });

  it('ignores tag order', () => {
    const two = { ...olds, tags: { a: '1', b: '2' } };
    expect(diffFlowlog(two, news({ tags: { b: '2', a: '1' } })).changes).toBe(false);
  });

  it.each(['flowLogName', 'interval', 'status'])('counts an unknown %s as an update', (field) => {
    expect(diffFlowlog(olds, news({ [field]: UNKNOWN }))).toMatchObject({ changes: true, updates: [field], replaces: [] });
  });

  it('counts an unknown tag value as an update', () => {
    expect(diffFlowlog(olds, news({ tags: { team: UNKNOWN } })).updates).toEqual(['tags']);
  });

  it.each(['projectName', 'cenId'])('counts an unknown %s as a replacement', (field) => {
    expect(diffFlowlog(olds, news({ [field]: UNKNOWN })).replaces).toEqual([field]);
  });

  it('never diffs timeouts or adopt', () => {
    expect(diffFlowlog(olds, news({ timeouts: { create: '1m' }, adopt: true })).changes).toBe(false);
  });

  const PROTO_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
  /** Tags as JSON.parse or the engine builds them: every key an own property, `__proto__` included. */
  const tagsOf = (...entries: [string, string][]) => Object.fromEntries(entries);

  it.each(
    PROTO_KEYS.flatMap((k) => [
      [k, 'added', tagsOf(['team', 'net']), tagsOf(['team', 'net'], [k, 'x'])],
      [k, 'removed', tagsOf(['team', 'net'], [k, 'x']), tagsOf(['team', 'net'])],
      [k, 'changed', tagsOf([k, 'x']), tagsOf([k, 'y'])],
      [k, 'swapped for another key', tagsOf([k, 'x']), tagsOf(['other', 'x'])],
      [k, 'the only tag, removed', tagsOf([k, 'x']), tagsOf()],
    ]),
  )('updates tags when a tag keyed %s is %s', (_key, _what, oldTags, newTags) => {
    expect(diffFlowlog({ ...olds, tags: oldTags }, news({ tags: newTags }))).toMatchObject({ changes: true, updates: ['tags'] });
  });

  it.each(PROTO_KEYS)('sees no change when a tag keyed %s is unchanged', (k) => {
    const tags = tagsOf(['team', 'net'], [k, 'x']);
    expect(diffFlowlog({ ...olds, tags }, news({ tags: tagsOf([k, 'x'], ['team', 'net']) })).changes).toBe(false);
  });

  it.each(PROTO_KEYS)('counts an unknown value of the tag keyed %s as an update', (k) => {
    const tags = tagsOf([k, 'x']);
    expect(diffFlowlog({ ...olds, tags }, news({ tags: tagsOf([k, UNKNOWN]) })).updates).toEqual(['tags']);
  });

  it.each([
    ['unset', undefined, ''],
    ['""', '', undefined],
    ['null', null, ''],
  ])('sees no change between a transitRouterAttachmentId %s and its empty form (the whole transit router)', (_what, before, after) => {
    const { transitRouterAttachmentId: _a, ...wholeRouter } = olds;
    const d = diffFlowlog({ ...wholeRouter, transitRouterAttachmentId: before }, news({ transitRouterAttachmentId: after }));
    expect(d.changes).toBe(false);
  });

  it('replaces when a flow log on the whole transit router moves to an attachment', () => {
    const { transitRouterAttachmentId: _a, ...wholeRouter } = olds;
    expect(diffFlowlog(wholeRouter, news({ transitRouterAttachmentId: 'tr-attach-1' }))).toMatchObject({
      replaces: ['transitRouterAttachmentId'],
      deleteBeforeReplace: false,
    });
  });

  it('reports both replacement and in-place fields when both change', () => {
    const d = diffFlowlog(olds, news({ projectName: 'p-two', flowLogName: 'x' }));
    expect(d.replaces).toEqual(['projectName']);
    expect(d.updates).toEqual(['flowLogName']);
    expect(d.stables).toEqual([]);
  });
});
