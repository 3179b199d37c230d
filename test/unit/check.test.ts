import { checkInputs, UNKNOWN } from '../../src/model/check';

/** A string of `n` characters (code points) made of `char`. */
const chars = (char: string, n: number): string => char.repeat(n);
const EMOJI = '\u{1F600}';
const CJK = '\u6D41';
const LONE = '\uD83D';
const MIB = 1024 * 1024;
/** Tag keys named like Object.prototype members: data, never lookups. */
const PROTO_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
/** An object whose keys are own properties, `__proto__` included (as JSON.parse makes them). */
const own = (entries: [string, unknown][]): Record<string, unknown> => Object.fromEntries(entries);

const valid = {
  regionId: 'cn-hangzhou',
  cenId: 'cen-1',
  transitRouterId: 'tr-1',
  transitRouterAttachmentId: 'tr-attach-1',
  projectName: 'flowlog-project',
  logStoreName: 'flowlog_logstore',
};

const failuresOf = (extra: Record<string, unknown>) => checkInputs({ ...valid, ...extra }).failures;

describe('check', () => {
  it('accepts a valid flow log and fills in the defaults', () => {
    const { inputs, failures } = checkInputs({ ...valid, __provider: 'text' });
    expect(failures).toEqual([]);
    expect(inputs).toEqual({ ...valid, tags: {}, status: 'Active' });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a name over 128 characters', { flowLogName: 'n'.repeat(129) }, 'flowLogName', /1 to 128 characters.*129/],
    ['a name starting with http://', { flowLogName: 'http://x' }, 'flowLogName', /must not start with "http:\/\/"/],
    ['a description over 256 characters', { description: 'd'.repeat(257) }, 'description', /1 to 256/],
    ['a description starting with https://', { description: 'https://x' }, 'description', /https:\/\//],
    ['an interval of 30', { interval: 30 }, 'interval', /60 or 600.*30/],
    ['a project name with capitals', { projectName: 'Flowlog' }, 'projectName', /lowercase/],
    ['a project name of 2 characters', { projectName: 'ab' }, 'projectName', /3 to 63.*got 2/],
    ['a project name of 64 characters', { projectName: 'a'.repeat(64) }, 'projectName', /3 to 63/],
    ['a project name with an underscore', { projectName: 'flow_log' }, 'projectName', /hyphens/],
    ['a project name ending with a hyphen', { projectName: 'flowlog-' }, 'projectName', /start and end/],
    ['a logstore name starting with an underscore', { logStoreName: '_store' }, 'logStoreName', /start and end/],
    ['a logstore name with a dot', { logStoreName: 'log.store' }, 'logStoreName', /underscores/],
    ['a missing project', { projectName: undefined }, 'projectName', /required/],
    ['a missing CEN id', { cenId: undefined }, 'cenId', /required/],
    ['a missing transit router', { transitRouterId: '' }, 'transitRouterId', /required/],
    ['a region that is not a region id', { regionId: 'Hangzhou' }, 'regionId', /cn-hangzhou/],
    ['a log format without the required prefix', { logFormatString: '${srcport}${srcaddr}' }, 'logFormatString', /must start with/],
    [
      'a log format with an unknown field',
      { logFormatString: '${srcaddr}${dstaddr}${bytes}${colour}' },
      'logFormatString',
      /unknown field.*colour/,
    ],
    ['a log format that is not a field list', { logFormatString: 'srcaddr,dstaddr' }, 'logFormatString', /\$\{field\}/],
    ['a log format naming a field twice', { logFormatString: '${srcaddr}${dstaddr}${bytes}${bytes}' }, 'logFormatString', /twice/],
    ['a status of InActive', { status: 'InActive' }, 'status', /did you mean "Inactive"/],
    ['a status of Paused', { status: 'Paused' }, 'status', /"Active" or "Inactive"/],
    ['21 tags', { tags: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }, 'tags', /at most 20/],
    ['a tag key starting with aliyun', { tags: { aliyunTeam: 'x' } }, 'tags', /must not start with "aliyun"/],
    ['a tag key starting with acs:', { tags: { 'acs:x': 'x' } }, 'tags', /acs:/],
    [
      'a system tag key acs:rm:rgId',
      { tags: { 'acs:rm:rgId': 'rg-1' } },
      'tags',
      /"acs:rm:rgId".*system tags.*platform.*neither set nor remove/,
    ],
    ['a system tag key in another case', { tags: { AliyunCreator: 'ros' } }, 'tags', /system tags/],
    ['a tag key starting with https://', { tags: { 'https://x': 'y' } }, 'tags', /"https:\/\/x" must not start with .*system tags/],
    ['a tag key of 65 characters', { tags: { ['k'.repeat(65)]: 'x' } }, 'tags', /1 to 64/],
    ['an empty tag key', { tags: { '': 'x' } }, 'tags', /1 to 64/],
    ['a tag value of 129 characters', { tags: { k: 'v'.repeat(129) } }, 'tags', /at most 128/],
    ['a tag value containing https://', { tags: { k: 'see https://x' } }, 'tags', /must not contain/],
    ['a tag value that is a number', { tags: { k: 5 } }, 'tags', /must be a string/],
    ['tags given as a Map', { tags: new Map([['team', 'net']]) }, 'tags', /must be a map of tag keys to values/],
    ['tags given as a list', { tags: [{ Key: 'team', Value: 'net' }] }, 'tags', /must be a map of tag keys to values/],
    ['a timeout that is not a duration', { timeouts: { create: 'soon' } }, 'timeouts', /duration/],
    ['an unknown timeout key', { timeouts: { read: '1m' } }, 'timeouts', /unknown key "read"/],
    ['adopt given a number', { adopt: 5 }, 'adopt', /flow-log id/],
    ['a misspelt argument', { intervall: 60 }, 'intervall', /not a CenFlowlog argument/],
    ['a name of 129 emoji', { flowLogName: chars(EMOJI, 129) }, 'flowLogName', /1 to 128 characters.*got 129/],
    ['a description of 257 CJK characters', { description: chars(CJK, 257) }, 'description', /1 to 256 characters.*got 257/],
    ['a tag key of 65 emoji', { tags: { [chars(EMOJI, 65)]: 'x' } }, 'tags', /1 to 64 characters, got 65/],
    ['a tag value of 129 emoji', { tags: { k: chars(EMOJI, 129) } }, 'tags', /at most 128 characters, got 129/],
    ['an attachment id of spaces', { transitRouterAttachmentId: '  ' }, 'transitRouterAttachmentId', /without spaces.*or leave it out/],
    ['a CEN id of 129 characters', { cenId: `cen-${'a'.repeat(125)}` }, 'cenId', /at most 128 characters, got 129/],
    ['an adopt id of 129 characters', { adopt: `flowlog-${'a'.repeat(121)}` }, 'adopt', /at most 128 characters, got 129/],
    ['a region id of 65 characters', { regionId: `cn-${'a'.repeat(62)}` }, 'regionId', /at most 64 characters, got 65/],
    ['a top-level __proto__ from JSON.parse', JSON.parse('{"__proto__": {"interval": 60}}'), '__proto__', /not a CenFlowlog argument/],
    [
      'a top-level __proto__ made by defineProperty',
      Object.defineProperty({}, '__proto__', { value: 'x', enumerable: true }),
      '__proto__',
      /not a CenFlowlog argument/,
    ],
    ['a top-level constructor', own([['constructor', 'x']]), 'constructor', /not a CenFlowlog argument/],
  ])('rejects %s, naming the field', (_what, extra, property, reason) => {
    const failures = failuresOf(extra);
    expect(failures).toHaveLength(1);
    expect(failures[0].property).toBe(property);
    expect(failures[0].reason).toMatch(reason);
    expect(failures[0].reason.startsWith(property)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['regionId', { regionId: `cn-hangzhou${LONE}` }],
    ['cenId', { cenId: `cen-${LONE}1` }],
    ['transitRouterId', { transitRouterId: `tr-${LONE}` }],
    ['transitRouterAttachmentId', { transitRouterAttachmentId: `tr-attach-${LONE}` }],
    ['projectName', { projectName: `flow${LONE}log` }],
    ['logStoreName', { logStoreName: `flow${LONE}log` }],
    ['flowLogName', { flowLogName: `edge ${LONE}` }],
    ['flowLogName', { flowLogName: `${EMOJI}\uDE00` }],
    ['description', { description: `\uDC00 traffic` }],
    ['logFormatString', { logFormatString: `\${srcaddr}\${dstaddr}\${bytes}\${${LONE}}` }],
    ['adopt', { adopt: `flowlog-${LONE}` }],
    ['tags', { tags: { [`team${LONE}`]: 'net' } }],
    ['tags', { tags: { team: `net${LONE}` } }],
  ])('rejects a lone UTF-16 surrogate in %s, naming the field', (property, extra) => {
    const failures = failuresOf(extra);
    expect(failures).toEqual([{ property, reason: expect.stringMatching(/lone UTF-16 surrogate/) }]);
    expect(failures[0].reason.startsWith(property)).toBe(true);
  });

  it.each<[string, Record<string, unknown>]>([
    ['flowLogName', { flowLogName: 'n'.repeat(MIB) }],
    ['description', { description: `https://${'d'.repeat(MIB)}` }],
    ['projectName', { projectName: 'p'.repeat(MIB) }],
    ['logStoreName', { logStoreName: `L${'l'.repeat(MIB)}` }],
    ['cenId', { cenId: `cen ${'c'.repeat(MIB)}` }],
    ['transitRouterAttachmentId', { transitRouterAttachmentId: 'a'.repeat(MIB) }],
    ['regionId', { regionId: 'R'.repeat(MIB) }],
    ['logFormatString', { logFormatString: '$'.repeat(MIB) }],
    ['status', { status: 's'.repeat(MIB) }],
    ['adopt', { adopt: ' '.repeat(MIB) }],
    ['interval', { interval: '6'.repeat(MIB) }],
    ['timeouts', { timeouts: { create: 'm'.repeat(MIB) } }],
    ['tags', { tags: { ['k'.repeat(MIB)]: 'v'.repeat(MIB) } }],
    ['tags', { tags: Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`aliyun${i}`, 'https://x'])) }],
    ['tags', { tags: ['x'.repeat(MIB)] }],
    ['an unknown argument', { ['x'.repeat(MIB)]: 'y' }],
  ])('quotes at most a bounded prefix of a huge %s', (_field, extra) => {
    const failures = failuresOf(extra);
    expect(failures).toHaveLength(1);
    expect(failures[0].property.length).toBeLessThan(200);
    expect(failures[0].reason.length).toBeLessThan(2000);
  });

  it('says how long a value it cut short was', () => {
    const [failure] = failuresOf({ flowLogName: `${chars(EMOJI, 100)}${'n'.repeat(MIB)}` });
    expect(failure.reason).toContain(`"${chars(EMOJI, 64)}"…(${MIB + 100} characters)`);
  });

  it('reports only the first few unknown arguments of a huge map', () => {
    const failures = failuresOf(Object.fromEntries(Array.from({ length: 10000 }, (_, i) => [`extra${i}`, i])));
    expect(failures.length).toBeLessThanOrEqual(11);
    expect(failures[failures.length - 1].reason).toMatch(/and 99\d\d more/);
  });

  it('does not let a top-level __proto__ supply other arguments', () => {
    const sneaky = JSON.parse('{"__proto__": {"cenId": "cen-from-proto"}}') as Record<string, unknown>;
    const { cenId: _c, ...withoutCen } = valid;
    const { inputs, failures } = checkInputs({ ...withoutCen, ...sneaky });
    expect(failures.map((f) => f.property).sort()).toEqual(['__proto__', 'cenId']);
    expect(Object.hasOwn(inputs, 'cenId')).toBe(false);
  });

  it('accepts tag keys named like Object.prototype members and keeps each as an own, sorted entry', () => {
    const tags = own(PROTO_KEYS.map((k) => [k, `v-${k}`]));
    const { inputs, failures } = checkInputs({ ...valid, tags });
    expect(failures).toEqual([]);
    expect(Object.entries(inputs.tags)).toEqual([...PROTO_KEYS].sort().map((k) => [k, `v-${k}`]));
    expect(JSON.parse(JSON.stringify(inputs.tags))).toEqual(inputs.tags);
    expect(Object.keys(JSON.parse(JSON.stringify(inputs.tags)))).toEqual([...PROTO_KEYS].sort());
  });

  it('accepts tags built with a null prototype, as plain own entries', () => {
    const tags = Object.assign(Object.create(null) as Record<string, string>, { b: '2', a: '1' });
    const { inputs, failures } = checkInputs({ ...valid, tags });
    expect(failures).toEqual([]);
    expect(Object.entries(inputs.tags)).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it.each(['', null, undefined])('treats a transitRouterAttachmentId of %j as unset (the whole transit router)', (value) => {
    const { inputs, failures } = checkInputs({ ...valid, transitRouterAttachmentId: value });
    expect(failures).toEqual([]);
    expect(Object.hasOwn(inputs, 'transitRouterAttachmentId')).toBe(false);
  });

  it('returns one failure per bad property', () => {
    const failures = failuresOf({ interval: 5, projectName: 'X', tags: { aliyun: 'v' } });
    expect(failures.map((f) => f.property).sort()).toEqual(['interval', 'projectName', 'tags']);
  });

  it.each([
    ['an empty name', { flowLogName: '' }],
    ['a 128-character name', { flowLogName: 'n'.repeat(128) }],
    ['interval 60', { interval: 60 }],
    ['interval "600" from YAML', { interval: '600' }],
    ['the minimal log format', { logFormatString: '${srcaddr}${dstaddr}${bytes}' }],
    ['a full log format', { logFormatString: '${srcaddr}${dstaddr}${bytes}${srcport}${dstport}${protocol}${packets}${start}${end}' }],
    ['20 tags with an empty value', { tags: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, ''])) }],
    ['status Inactive', { status: 'Inactive' }],
    ['adopt true', { adopt: true }],
    ['adopt by id', { adopt: 'flowlog-abc' }],
    ['timeouts', { timeouts: { create: '90s', update: '1h30m', delete: '500ms' } }],
    ['no attachment (the whole transit router)', { transitRouterAttachmentId: undefined }],
    ['a 128-emoji name', { flowLogName: chars(EMOJI, 128) }],
    ['a 256-emoji description', { description: chars(EMOJI, 256) }],
    ['a 128-character CJK name and 256-character CJK description', { flowLogName: chars(CJK, 128), description: chars(CJK, 256) }],
    [
      '20 tags of 64-emoji keys and 128-emoji values',
      {
        tags: Object.fromEntries(
          Array.from({ length: 20 }, (_, i) => [`${chars(EMOJI, 62)}${String(i).padStart(2, '0')}`, chars(EMOJI, 128)]),
        ),
      },
    ],
    [
      '20 tags of 64-character CJK keys and 128-character CJK values',
      {
        tags: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`${chars(CJK, 62)}${String(i).padStart(2, '0')}`, chars(CJK, 128)])),
      },
    ],
    ['a 128-character CEN id', { cenId: `cen-${'a'.repeat(124)}` }],
  ])('accepts %s', (_what, extra) => {
    expect(failuresOf(extra)).toEqual([]);
  });

  it('never fails on values unknown during preview', () => {
    const unknowns = Object.fromEntries(Object.keys(valid).map((k) => [k, UNKNOWN]));
    const { failures } = checkInputs({
      ...unknowns,
      interval: UNKNOWN,
      tags: { team: UNKNOWN },
      logFormatString: UNKNOWN,
      status: UNKNOWN,
    });
    expect(failures).toEqual([]);
  });

  it('normalises once: numeric strings, tag order, empty strings, null', () => {
    const { inputs } = checkInputs({ ...valid, interval: '60', tags: { b: '2', a: '1' }, description: '', flowLogName: null });
    expect(inputs.interval).toBe(60);
    expect(Object.keys(inputs.tags)).toEqual(['a', 'b']);
    expect('description' in inputs).toBe(false);
    expect('flowLogName' in inputs).toBe(false);
  });

  it('takes the region from the stack default when the resource leaves it out', () => {
    const { inputs, failures } = checkInputs({ ...valid, regionId: undefined }, 'cn-shanghai');
    expect(failures).toEqual([]);
    expect(inputs.regionId).toBe('cn-shanghai');
  });

  it('explains how to set the region when none is known', () => {
    const { failures } = checkInputs({ ...valid, regionId: undefined });
    expect(failures[0]).toEqual({ property: 'regionId', reason: expect.stringContaining('alicloud:region') });
  });
});
