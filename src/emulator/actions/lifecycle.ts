/** The writes on one flow log: modify, activate, deactivate, delete. */
import { checkInterval, checkText } from '../validate';
import { assertSettled, targetFlowLog, type ActionContext, type ActionResult } from './context';

const OK = { Success: 'true' } as const;

/**
 * Asynchronous, as the CEN page says: `Modifying` for `modifyAttributeMs`, then back to the
 * status it had. The new values show at once (unverified: the live service may show them
 * only when the change is done).
 */
export function modifyFlowLogAttribute(ctx: ActionContext): ActionResult {
  const rec = targetFlowLog(ctx);
  const { params } = ctx;
  const name = params.FlowLogName === undefined ? rec.flowLogName : checkText('FlowLogName', params.FlowLogName);
  const description = params.Description === undefined ? rec.description : checkText('Description', params.Description);
  const interval = checkInterval(params.Interval) ?? rec.interval;
  assertSettled(rec);
  rec.flowLogName = name;
  rec.description = description;
  rec.interval = interval;
  ctx.store.transition(rec, 'Modifying', ctx.delays.modifyAttributeMs);
  return OK;
}

function switchTo(target: 'Active' | 'Inactive') {
  return (ctx: ActionContext): ActionResult => {
    const rec = targetFlowLog(ctx);
    assertSettled(rec);
    // Already there: nothing to do (unverified: the live service may answer IncorrectStatus).
    if (rec.status !== target) ctx.store.transition(rec, 'Modifying', ctx.delays.modifyMs, target);
    return OK;
  };
}

export const activeFlowLog = switchTo('Active');
export const deactiveFlowLog = switchTo('Inactive');

export function deleteFlowlog(ctx: ActionContext): ActionResult {
  const rec = targetFlowLog(ctx);
  assertSettled(rec);
  ctx.store.transition(rec, 'Deleting', ctx.delays.deleteMs);
  return OK;
}
