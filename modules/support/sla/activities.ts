// The SLA workflow's activity: one read of the ticket's clock (sla/check.ts) in one transaction,
// at the workflow's time. Failures are retried by Temporal (the read is idempotent).
import { asActivityFailure } from '../../../kernel/activity-failure.ts';
import { systemTenant } from '../../../kernel/tenant.ts';
import type { ActivityDeps } from '../../manifest.ts';
import { checkTicketSla } from './check.ts';
import type { SlaCheck, SlaCheckInput } from './types.ts';
import { inTransaction } from '../../../platform/transaction.ts';

export function createSlaActivities(deps: Pick<ActivityDeps, 'orm' | 'resources'>) {
  return {
    async checkTicketSla(input: SlaCheckInput): Promise<SlaCheck> {
      try {
        return await inTransaction(deps.orm.em.fork(), (em) =>
          checkTicketSla(systemTenant(em, input.workspaceId, deps.resources), input.ticketId, new Date(input.now)));
      } catch (err) {
        throw asActivityFailure(err);
      }
    },
  };
}

export type SlaActivities = ReturnType<typeof createSlaActivities>;
