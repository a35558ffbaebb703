// Every implemented operation, by operationId. An operation of the contract that is missing
// here is not mounted (the contract test lists it as not yet implemented).
import { workspaceHandlers } from './workspace.ts';
import { contactHandlers } from './contacts.ts';
import { companyHandlers } from './companies.ts';
import { leadHandlers } from './leads.ts';
import { dealHandlers } from './deals.ts';
import { accountingHandlers } from './accounting.ts';
import { taskHandlers } from './tasks.ts';
import { activityHandlers } from './activity-log.ts';
import type { HandlerMap } from './types.ts';

export const handlers: HandlerMap = {
  ...workspaceHandlers,
  ...contactHandlers,
  ...companyHandlers,
  ...leadHandlers,
  ...dealHandlers,
  ...accountingHandlers,
  ...taskHandlers,
  ...activityHandlers,
};
