/** CreateFlowlog: where it goes, what it logs to, and the defaults the service fills in. */
import { randomBytes } from 'node:crypto';
import type { FlowLogRecord } from '../store';
import type { TransitRouter } from '../types';
import { ApiError } from '../errors';
import { checkInterval, checkLogFormat, checkLogStoreName, checkProjectName, checkTags, checkText, required } from '../validate';
import type { ActionContext, ActionResult } from './context';

/** Flow-log version the emulator reports (transit-router flow logs). */
export const FLOW_LOG_VERSION = '3';
export const DEFAULT_LOG_STORE = 'cen-flowlog-logstore';
export const defaultProjectName = (accountId: string, regionId: string): string => `cen-flowlog-${accountId}-${regionId}`;

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function newFlowLogId(): string {
  const bytes = randomBytes(20);
  let id = 'flowlog-';
  for (const b of bytes) id += ALPHABET[b % ALPHABET.length];
  return id;
}

/** Resolve the transit router (and attachment) the flow log is for. */
function placement(ctx: ActionContext, regionId: string, cenId: string): { tr: TransitRouter; attachmentId?: string } {
  const { account, params } = ctx;
  if (!account.cens.has(cenId)) throw new ApiError('InvalidParameter.CenId', `CEN ${cenId} does not exist.`);
  const attachmentId = params.TransitRouterAttachmentId || undefined;
  const attachment = attachmentId ? account.attachments.get(attachmentId) : undefined;
  if (attachmentId && !attachment) throw new ApiError('InvalidTransitRouterAttachmentId.NotFound', `No attachment ${attachmentId}.`);
  const trId = params.TransitRouterId || attachment?.transitRouterId;
  if (!trId) throw new ApiError('InvalidParameter', 'Give TransitRouterId (or TransitRouterAttachmentId) to say where the flow log goes.');
  const tr = account.transitRouters.get(trId);
  if (!tr || tr.regionId !== regionId) {
    throw new ApiError('InvalidOperation.TransitRouterNotExist', `No transit router ${trId} in ${regionId}.`);
  }
  if (tr.cenId !== cenId) throw new ApiError('InvalidParameter.CenId', `Transit router ${trId} belongs to ${tr.cenId}, not ${cenId}.`);
  if (attachment && attachment.transitRouterId !== trId) {
    throw new ApiError(
      'IllegalParam.TransitRouterAttachmentId',
      `Attachment ${attachmentId} is on ${attachment.transitRouterId}, not ${trId}.`,
    );
  }
  if (tr.edition !== 'Enterprise')
    throw new ApiError(
      'OperationUnsupported.action',
      `Transit router ${trId} is ${tr.edition} edition; only Enterprise Edition supports flow logs.`,
    );
  return { tr, attachmentId };
}

/** The SLS destination: an existing project of ours in this region, or a new one. */
function destination(ctx: ActionContext, regionId: string): { projectName: string; logStoreName: string } {
  const { params, store, account } = ctx;
  const projectName = checkProjectName(params.ProjectName || defaultProjectName(account.topology.accountId, regionId));
  const logStoreName = checkLogStoreName(params.LogStoreName || DEFAULT_LOG_STORE);
  const project = store.projects.get(projectName);
  if (project?.owner === 'other') throw new ApiError('ProjectExist', `${projectName} belongs to another account.`);
  if (project && project.regionId !== regionId) {
    throw new ApiError('InvalidParameter.ProjectName', `${projectName} is in ${project.regionId}, not ${regionId}.`);
  }
  return { projectName, logStoreName };
}

function assertNoDuplicate(ctx: ActionContext, tr: TransitRouter, attachmentId: string | undefined): void {
  if (attachmentId) {
    const existing = ctx.store.onAttachment(attachmentId);
    if (existing) throw new ApiError('Flowlog.AlreayExist', `${existing.flowLogId} already logs ${attachmentId}.`);
  } else {
    const existing = ctx.store.onTransitRouter(tr.transitRouterId);
    if (existing) throw new ApiError('InvalidFlowlogId.exist', `${existing.flowLogId} already logs ${tr.transitRouterId}.`);
  }
}

export function createFlowlog(ctx: ActionContext): ActionResult {
  const { params, store } = ctx;
  const regionId = required(params, 'RegionId');
  const cenId = required(params, 'CenId');
  const flowLogName = checkText('FlowLogName', params.FlowLogName);
  const description = checkText('Description', params.Description);
  const interval = checkInterval(params.Interval) ?? 600;
  const logFormatString = checkLogFormat(params.LogFormatString, ctx.defaultLogFormat);
  const tags = checkTags(params);
  const { tr, attachmentId } = placement(ctx, regionId, cenId);
  const { projectName, logStoreName } = destination(ctx, regionId);
  assertNoDuplicate(ctx, tr, attachmentId);
  if (store.all().length >= ctx.account.topology.quota) {
    throw new ApiError('QuotaExceeded.FlowlogCount', `The quota is ${ctx.account.topology.quota}.`);
  }
  store.addProject({ name: projectName, regionId, owner: 'self', logStores: [logStoreName] });
  const rec: FlowLogRecord = {
    flowLogId: newFlowLogId(),
    flowLogName,
    description,
    cenId,
    regionId,
    projectName,
    logStoreName,
    interval,
    logFormatString,
    flowLogVersion: FLOW_LOG_VERSION,
    transitRouterId: tr.transitRouterId,
    transitRouterAttachmentId: attachmentId,
    creationTime: new Date(ctx.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    tags,
    status: 'Active',
  };
  store.insert(rec);
  store.transition(rec, 'Creating', ctx.delays.createMs, 'Active');
  return { Success: 'true', FlowLogId: rec.flowLogId };
}
