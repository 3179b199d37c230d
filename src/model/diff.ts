/**
 * diff(): a pure function from (previous outputs, checked inputs) to the plan.
 * Undefined, null, missing and "" compare equal; an unset service-defaulted field
 * never differs; an unknown value (preview) counts as a change.
 */
import { isUnknown } from './check';
import { REPLACE_FIELDS, SERVICE_DEFAULTED_FIELDS, UPDATE_FIELDS, type FlowlogInputs, type FlowlogOutputs } from './model';
import { isSystemTagKey } from './facts';

export interface FlowlogDiff {
  changes: boolean;
  /** Fields whose change replaces the flow log. */
  replaces: string[];
  /** Fields changed in place. */
  updates: string[];
  stables: string[];
  /** The replacement would land where the old one is, and the service allows one flow log there. */
  deleteBeforeReplace: boolean;
}

type Props = Readonly<Record<string, unknown>>;

/** Field access on a record of our fields (outputs, checked inputs): no cast at the call sites. */
export const fieldOf = (o: object, field: string): unknown => (o as Props)[field];

const blank = (v: unknown): boolean => v === undefined || v === null || v === '';

/**
 * A tags map as own entries only (`constructor` or `__proto__` are keys like any other), without
 * system tags: a state recorded with them (by an older version) shows no change for them.
 */
const tagMap = (t: unknown): Map<string, unknown> =>
  new Map(t !== null && typeof t === 'object' ? Object.entries(t).filter(([k]) => !isSystemTagKey(k)) : []);

function tagsEqual(a: unknown, b: unknown): boolean {
  const ma = tagMap(a);
  const mb = tagMap(b);
  return ma.size === mb.size && [...ma].every(([k, v]) => mb.has(k) && mb.get(k) === v && !isUnknown(v));
}

function hasUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  return v !== null && typeof v === 'object' && Object.values(v as Props).some(hasUnknown);
}

/** Whether `field` differs between the recorded outputs and the desired inputs. */
export function fieldChanged(field: string, oldValues: object, newValues: object): boolean {
  const olds = oldValues as Props;
  const news = newValues as Props;
  const next = news[field];
  if (hasUnknown(next)) return true;
  if (SERVICE_DEFAULTED_FIELDS.includes(field as never) && blank(next)) return false;
  if (field === 'tags') return !tagsEqual(olds.tags, next);
  if (field === 'status') return (olds.status ?? 'Active') !== (next ?? 'Active');
  if (blank(olds[field]) && blank(next)) return false;
  return olds[field] !== next;
}

/**
 * The location the service allows one flow log on: a transit router as a whole,
 * or one attachment. Unknown during preview counts as possibly the same: the
 * safe order is then delete-before-replace.
 */
function mayBeSameLocation(olds: object, news: object): boolean {
  return (['transitRouterId', 'transitRouterAttachmentId'] as const satisfies readonly (keyof FlowlogInputs)[]).every(
    (f) => hasUnknown(fieldOf(news, f)) || !fieldChanged(f, olds, news),
  );
}

export function diffFlowlog(olds: object, news: object): FlowlogDiff {
  const replaces = REPLACE_FIELDS.filter((f) => fieldChanged(f, olds, news));
  const updates = UPDATE_FIELDS.filter((f) => fieldChanged(f, olds, news));
  const changed = new Set<string>([...replaces, ...updates]);
  const stables =
    replaces.length > 0
      ? []
      : [
          ...(['flowLogId', 'creationTime'] as const satisfies readonly (keyof FlowlogOutputs)[]),
          ...REPLACE_FIELDS,
          ...UPDATE_FIELDS.filter((f) => !changed.has(f)),
        ];
  return {
    changes: changed.size > 0,
    replaces,
    updates,
    stables,
    deleteBeforeReplace: replaces.length > 0 && mayBeSameLocation(olds, news),
  };
}
