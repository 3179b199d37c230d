/** The writes on one flow log: modify, activate, deactivate, delete. */
import { ApiError } from '../errors';
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

/**
 * With its Log Service project or Logstore removed first, the service answers
 * SourceProjectNotExist / ProjectOrLogstoreNotExist. Whether the flow log is deleted all the
 * same is undocumented: `deleteWithoutLogStore` chooses (`remove`: gone at once; `keep`: still
 * listed, unchanged).
 */
export function deleteFlowlog(ctx: ActionContext): ActionResult {
  const rec = targetFlowLog(ctx);
  assertSettled(rec);
  if (rec.destinationGone) {
    const err =
      rec.destinationGone === 'project'
        ? new ApiError('SourceProjectNotExist', `Project ${rec.projectName} of flow log ${rec.flowLogId} does not exist.`)
        : new ApiError(
            'ProjectOrLogstoreNotExist',
            `Logstore ${rec.logStoreName} of project ${rec.projectName} (flow log ${rec.flowLogId}) does not exist.`,
          );
    if (ctx.deleteWithoutLogStore === 'remove') {
      ctx.store.remove(rec.flowLogId);
      err.committed = true;
    }
    throw err;
  }
  ctx.store.transition(rec, 'Deleting', ctx.delays.deleteMs);
  return OK;
}
