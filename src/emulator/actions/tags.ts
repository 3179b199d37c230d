/** TagResources, UntagResources, ListTagResources for ResourceType `Flowlog` (any case). */
import type { FlowLogRecord } from '../store';
import type { ApiTag } from '../types';
import { ApiError } from '../errors';
import { checkBoolean, checkPositiveInt, checkTags, list, required, type Params } from '../validate';
import type { ActionContext, ActionResult } from './context';
import { isSystemTagKey } from '../../model/facts';

const MAX_TAGS = 20;
/** Per call, from the SDK models: ResourceId and Tag are lists of at most 20. */
export const MAX_RESOURCE_IDS = 20;
export const MAX_TAG_FILTERS = 20;

function checkResourceType(params: Params): string {
  const type = required(params, 'ResourceType');
  if (type.toLowerCase() !== 'flowlog') {
    throw new ApiError('InvalidResourceType.NotSupported', `Expected ResourceType Flowlog, got ${type}.`);
  }
  return 'Flowlog';
}

/** RegionId, when given, scopes the flow logs a tag action sees. */
function inRegion(ctx: ActionContext): (rec: FlowLogRecord) => boolean {
  const regionId = ctx.params.RegionId;
  return (rec) => !regionId || rec.regionId === regionId;
}

function resources(ctx: ActionContext, needed: boolean): FlowLogRecord[] {
  const ids = list(ctx.params, 'ResourceId');
  if (needed && ids.length === 0)
    throw new ApiError(
      'MissingParameter',
      undefined,
      400,
      'The input parameter "ResourceId.1" that is mandatory for processing this request is not supplied.',
    );
  if (ids.length > MAX_RESOURCE_IDS) {
    throw new ApiError('InvalidParameter.ResourceId', `At most ${MAX_RESOURCE_IDS} ResourceId per call, got ${ids.length}.`);
  }
  const visible = inRegion(ctx);
  return ids.map((id) => {
    const rec = ctx.store.get(id);
    if (!rec || !visible(rec))
      throw new ApiError('InvalidFlowlogId.NotFound', `No flow log ${id}${ctx.params.RegionId ? ` in ${ctx.params.RegionId}` : ''}.`);
    return rec;
  });
}

/** Tag filters (`Tag.N.Key`, `Tag.N.Value`): at most MAX_TAG_FILTERS. */
export function tagFilters(params: Params): ApiTag[] {
  const filters = checkTags(params, { validate: false });
  if (filters.length > MAX_TAG_FILTERS) {
    throw new ApiError('InvalidParameter.TagNum', `At most ${MAX_TAG_FILTERS} Tag filters per call, got ${filters.length}.`);
  }
  return filters;
}

export function tagResources(ctx: ActionContext): ActionResult {
  checkResourceType(ctx.params);
  const targets = resources(ctx, true);
  const tags = checkTags(ctx.params);
  if (tags.length === 0)
    throw new ApiError(
      'MissingParameter',
      undefined,
      400,
      'The input parameter "Tag.1.Key" that is mandatory for processing this request is not supplied.',
    );
  for (const rec of targets) {
    const merged = new Map(rec.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags) merged.set(t.Key, t.Value);
    if (merged.size > MAX_TAGS) {
      throw new ApiError('InvalidParameter.TagNum', `${rec.flowLogId} would have ${merged.size} tags; at most ${MAX_TAGS}.`);
    }
  }
  for (const rec of targets) {
    for (const t of tags) {
      const own = rec.tags.find((o) => o.Key === t.Key);
      if (own) own.Value = t.Value;
      else rec.tags.push({ ...t });
    }
  }
  return {};
}

/** System tags are the platform's: a user can no more remove one than set one. */
function refuseSystemTagKeys(params: Params): void {
  const system = list(params, 'TagKey').find(isSystemTagKey);
  if (system !== undefined)
    throw new ApiError('InvalidParameter.TagKey', `"${system.slice(0, 64)}" is a system tag: it cannot be removed.`);
}

export function untagResources(ctx: ActionContext): ActionResult {
  checkResourceType(ctx.params);
  const all = checkBoolean(ctx.params, 'All', false);
  refuseSystemTagKeys(ctx.params);
  const targets = resources(ctx, true);
  const keys = new Set(list(ctx.params, 'TagKey'));
  // `All` is every tag the user may remove: the platform's system tags stay.
  for (const rec of targets) rec.tags = rec.tags.filter((t) => isSystemTagKey(t.Key) || (!all && !keys.has(t.Key)));
  return {};
}

/** NextToken is the offset into the (resource, tag) pairs, opaque to callers. */
export function listTagResources(ctx: ActionContext): ActionResult {
  const resourceType = checkResourceType(ctx.params);
  const pageSize = checkPositiveInt(ctx.params, 'PageSize', 10, 50);
  const token = ctx.params.NextToken;
  const offset = token ? Number(Buffer.from(token, 'base64url').toString()) : 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw new ApiError('InvalidParameter.NextToken', `"${token}" was not issued by this service.`);
  const named = resources(ctx, false);
  const wanted = tagFilters(ctx.params);
  const pool = named.length > 0 ? named : ctx.store.all().filter(inRegion(ctx));
  const pairs = pool
    .filter((rec) => wanted.every((w) => rec.tags.some((t) => t.Key === w.Key && (w.Value === '' || t.Value === w.Value))))
    .flatMap((rec) => rec.tags.map((t) => ({ ResourceId: rec.flowLogId, ResourceType: resourceType, TagKey: t.Key, TagValue: t.Value })));
  const page = pairs.slice(offset, offset + pageSize);
  const next = offset + pageSize < pairs.length ? Buffer.from(String(offset + pageSize)).toString('base64url') : '';
  return { NextToken: next, TagResources: { TagResource: page } };
}
