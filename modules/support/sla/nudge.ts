// A ticket write that may have moved the SLA clock: the write (api/operations.ts `write`), then,
// once it has committed, a `slaChanged` signal to the ticket's running SLA workflow. The signal is
// best effort and bounded in time (the request never waits on the workflow itself); a lost one
// only delays a breach, because the workflow re-reads on its own at least every SLA_RECHECK_MS.
import { write, type DataOf, type OperationHandler, type OperationId, type OperationRequest } from '../../../api/operations.ts';
import type { TicketWrite } from '../tickets.ts';
import { SLA_CHANGED_SIGNAL, slaWorkflowId } from './types.ts';

export const slaWrite = <K extends OperationId, S extends 200 | 201, T>(
  status: S,
  change: (req: OperationRequest<K>) => Promise<TicketWrite<T>>,
  serialize: (result: T) => DataOf<K, S>,
): OperationHandler<K> => async (req) => {
  let nudge: string | null = null;
  const reply = await write<K, S, T>(status, async (tx) => {
    const { result, nudgeSla } = await change(tx);
    nudge = nudgeSla;
    return result;
  }, serialize)(req);
  if (nudge) await req.deps.workflows.signal(slaWorkflowId(nudge), SLA_CHANGED_SIGNAL);
  return reply;
};
