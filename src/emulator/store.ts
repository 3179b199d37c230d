/**
 * The in-memory account state: flow logs (by id, by transit router, by attachment) and SLS
 * projects. Transitional statuses are derived lazily from stored end times, so no timer runs.
 */
import type { ApiTag, FlowLogStatus, FlowLogView, SlsProject } from './types';

export type StableStatus = 'Active' | 'Inactive';
export type TransitionalStatus = 'Creating' | 'Modifying' | 'Deleting';

export interface FlowLogRecord {
  flowLogId: string;
  flowLogName?: string;
  description?: string;
  cenId: string;
  regionId: string;
  projectName: string;
  logStoreName: string;
  interval: number;
  logFormatString: string;
  flowLogVersion: string;
  transitRouterId: string;
  transitRouterAttachmentId?: string;
  creationTime: string;
  tags: ApiTag[];
  /** The status it is in, or will settle into when the transition ends. */
  status: StableStatus;
  transition?: { status: TransitionalStatus; endsAt: number };
  /** A fault: shown instead of the real status until unstuck. */
  stuck?: string;
  /** Its Log Service project, or just its Logstore, was removed (admin) and not created again. */
  destinationGone?: 'project' | 'logstore';
}

export function currentStatus(rec: FlowLogRecord): string {
  return rec.stuck ?? rec.transition?.status ?? rec.status;
}

export function isTransitional(rec: FlowLogRecord): boolean {
  return currentStatus(rec) !== 'Active' && currentStatus(rec) !== 'Inactive';
}

export function toView(rec: FlowLogRecord): FlowLogView {
  return {
    FlowLogId: rec.flowLogId,
    FlowLogName: rec.flowLogName,
    Description: rec.description,
    CenId: rec.cenId,
    RegionId: rec.regionId,
    Status: currentStatus(rec) as FlowLogStatus,
    ProjectName: rec.projectName,
    LogStoreName: rec.logStoreName,
    Interval: rec.interval,
    LogFormatString: rec.logFormatString,
    FlowLogVersion: rec.flowLogVersion,
    TransitRouterId: rec.transitRouterId,
    TransitRouterAttachmentId: rec.transitRouterAttachmentId,
    CreationTime: rec.creationTime,
    Tags: { Tag: rec.tags.map((t) => ({ ...t })) },
  };
}

export interface StoreSnapshot {
  flowLogs: FlowLogRecord[];
  projects: SlsProject[];
}

export class Store {
  private readonly byId = new Map<string, FlowLogRecord>();
  private readonly byTransitRouter = new Map<string, string>();
  private readonly byAttachment = new Map<string, string>();
  readonly projects = new Map<string, SlsProject>();

  constructor(private readonly now: () => number) {}

  /** Apply an ended transition; false when the flow log is now gone. */
  private settle(rec: FlowLogRecord): boolean {
    if (!rec.transition || rec.stuck || rec.transition.endsAt > this.now()) return true;
    if (rec.transition.status === 'Deleting') {
      this.remove(rec.flowLogId);
      return false;
    }
    rec.transition = undefined;
    return true;
  }

  get(id: string): FlowLogRecord | undefined {
    const rec = this.byId.get(id);
    return rec && this.settle(rec) ? rec : undefined;
  }

  /** Every live flow log, in creation order. */
  all(): FlowLogRecord[] {
    return [...this.byId.values()].filter((rec) => this.settle(rec));
  }

  get size(): number {
    return this.byId.size;
  }

  onTransitRouter(transitRouterId: string): FlowLogRecord | undefined {
    const id = this.byTransitRouter.get(transitRouterId);
    return id === undefined ? undefined : this.get(id);
  }

  onAttachment(attachmentId: string): FlowLogRecord | undefined {
    const id = this.byAttachment.get(attachmentId);
    return id === undefined ? undefined : this.get(id);
  }

  insert(rec: FlowLogRecord): void {
    this.byId.set(rec.flowLogId, rec);
    if (rec.transitRouterAttachmentId) this.byAttachment.set(rec.transitRouterAttachmentId, rec.flowLogId);
    else this.byTransitRouter.set(rec.transitRouterId, rec.flowLogId);
  }

  remove(id: string): boolean {
    const rec = this.byId.get(id);
    if (!rec) return false;
    this.byId.delete(id);
    if (rec.transitRouterAttachmentId) this.byAttachment.delete(rec.transitRouterAttachmentId);
    else this.byTransitRouter.delete(rec.transitRouterId);
    return true;
  }

  /** Start a transition ending at `status` (or removal for Deleting) after `ms`. */
  transition(rec: FlowLogRecord, status: TransitionalStatus, ms: number, then: StableStatus = rec.status): void {
    rec.status = then;
    rec.transition = { status, endsAt: this.now() + ms };
    this.settle(rec);
  }

  /** Adds a project or Logstores to one; flow logs that wrote there before it was removed write there again. */
  addProject(project: SlsProject): void {
    const existing = this.projects.get(project.name);
    if (!existing) this.projects.set(project.name, { ...project, logStores: [...project.logStores] });
    else for (const ls of project.logStores) if (!existing.logStores.includes(ls)) existing.logStores.push(ls);
    const logStores = this.projects.get(project.name)!.logStores;
    for (const rec of this.byId.values()) {
      if (rec.projectName !== project.name || !rec.destinationGone) continue;
      rec.destinationGone = logStores.includes(rec.logStoreName) ? undefined : 'logstore';
    }
  }

  /** Removes a Log Service project, as SLS would: its flow logs stay, pointing at nothing. False if unknown. */
  removeProject(name: string): boolean {
    const users = [...this.byId.values()].filter((rec) => rec.projectName === name);
    for (const rec of users) rec.destinationGone = 'project';
    return this.projects.delete(name) || users.length > 0;
  }

  /** Removes one Logstore of a project; its flow logs stay. False if unknown. */
  removeLogStore(projectName: string, logStoreName: string): boolean {
    const project = this.projects.get(projectName);
    const known = project?.logStores.includes(logStoreName) ?? false;
    if (project) project.logStores = project.logStores.filter((ls) => ls !== logStoreName);
    const users = [...this.byId.values()].filter((rec) => rec.projectName === projectName && rec.logStoreName === logStoreName);
    for (const rec of users) rec.destinationGone ??= 'logstore';
    return known || users.length > 0;
  }

  /** A deep copy of everything, to roll a change back if it cannot be saved. */
  snapshot(): StoreSnapshot {
    return structuredClone({ flowLogs: [...this.byId.values()], projects: [...this.projects.values()] });
  }

  restore(snap: StoreSnapshot): void {
    this.byId.clear();
    this.byTransitRouter.clear();
    this.byAttachment.clear();
    this.projects.clear();
    for (const rec of snap.flowLogs) this.insert(rec);
    for (const p of snap.projects) this.projects.set(p.name, p);
  }

  /** Raw records for persistence (no settling: stored end times keep their meaning). */
  records(): FlowLogRecord[] {
    return [...this.byId.values()];
  }
}
