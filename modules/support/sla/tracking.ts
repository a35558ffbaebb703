// Keeps one SLA workflow run responsible for each ticket whose clock has a target running. A write
// that changed the ticket's SLA inputs calls followSla in its transaction: with no run responsible
// it enqueues a start (committed with the change; the relay covers a crash), otherwise it asks for
// the running one to be told after the commit. The run clears sla_run_active as it ends, under the
// ticket's row lock, so a write either sees the run and tells it, or sees none and starts one.
import type { TenantContext } from '../../../kernel/tenant.ts';
import { enqueueWorkflow } from '../../../kernel/workflow-commands/enqueue.ts';
import type { SupportTicket } from '../entities.ts';
import { needsWatching } from './clock.ts';
import { SLA_WORKFLOW_TYPE, slaWorkflowId, type SlaWorkflowInput } from './types.ts';

/** Starts or keeps the ticket's SLA run; true when the running one should re-read once this commits. */
export function followSla(ctx: TenantContext, ticket: SupportTicket): boolean {
  if (ticket.sla_run_active) return true;
  if (!needsWatching(ticket)) return false;
  const input: SlaWorkflowInput = { workspaceId: ctx.workspaceId, ticketId: ticket.id };
  // A reopened ticket gets a new run of the same workflow id once the previous one has ended.
  enqueueWorkflow(ctx, { workflowType: SLA_WORKFLOW_TYPE, workflowId: slaWorkflowId(ticket.id), resourceId: ticket.id, args: [input], reuse: 'allow_duplicate' });
  ticket.sla_run_active = true;
  return false;
}
