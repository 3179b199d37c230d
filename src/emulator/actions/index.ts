/** The action table: API action name → handler (each with its own validation). */
import type { ActionSpec } from './context';
import { createFlowlog } from './create';
import { describeFlowlogs } from './describe';
import { activeFlowLog, deactiveFlowLog, deleteFlowlog, modifyFlowLogAttribute } from './lifecycle';
import { listTagResources, tagResources, untagResources } from './tags';

export const API_VERSION = '2017-09-12';

export const ACTIONS: Readonly<Record<string, ActionSpec>> = Object.freeze({
  CreateFlowlog: { handler: createFlowlog, mutates: true },
  DescribeFlowlogs: { handler: describeFlowlogs, mutates: false },
  ModifyFlowLogAttribute: { handler: modifyFlowLogAttribute, mutates: true },
  ActiveFlowLog: { handler: activeFlowLog, mutates: true },
  DeactiveFlowLog: { handler: deactiveFlowLog, mutates: true },
  DeleteFlowlog: { handler: deleteFlowlog, mutates: true },
  TagResources: { handler: tagResources, mutates: true },
  UntagResources: { handler: untagResources, mutates: true },
  ListTagResources: { handler: listTagResources, mutates: false },
});

export { indexTopology } from './context';
export type { ActionContext, ActionSpec, AccountIndex } from './context';
