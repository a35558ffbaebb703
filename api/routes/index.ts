// Every implemented operation, by operationId. An operation of the contract that is missing
// here is not mounted (the contract test lists it as not yet implemented).
import { workspaceHandlers } from './workspace.ts';
import { contactHandlers } from './contacts.ts';
import { companyHandlers } from './companies.ts';
import type { HandlerMap } from './types.ts';

export const handlers: HandlerMap = {
  ...workspaceHandlers,
  ...contactHandlers,
  ...companyHandlers,
};
