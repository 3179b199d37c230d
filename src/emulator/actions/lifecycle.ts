/** The writes on one flow log: modify, activate, deactivate, delete. */
import { checkInterval, checkText } from '../validate';
import { assertSettled, targetFlowLog, type ActionContext, type ActionResult } from './context';

const OK = { Success: 'true' } as const;

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
