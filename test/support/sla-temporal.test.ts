// The SLA workflow on the real Temporal dev server the harness runs (its worker runs the module's
// workflow and activity): started after the ticket's commit, found by its search attributes,
// told by a signal, ended by resolving. Visibility is eventually consistent: reads poll briefly.
import test from 'ava';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { RESOURCE_ID, WORKSPACE_ID } from '../../platform/search-attributes.ts';
import { SLA_CHANGED_SIGNAL, slaWorkflowId, type SlaProgress } from '../../modules/support/sla/types.ts';
import { queue } from './helpers.ts';

let h: Harness;
test.before(async () => { h = await bootHarness(); });
test.after.always(async () => { await h?.close(); });

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let i = 0; i < 80 && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 250));
    value = await read();
  }
  return value;
}

test('a ticket\'s SLA workflow runs on the Temporal server, is found by WorkspaceId and ResourceId, re-reads on a signal and ends on resolving', async (t) => {
  const { id, client } = await h.workspace();
  const q = await queue(client, 'std', { first_response_target_minutes: 60, resolution_target_minutes: 600 });
  const res = await client.post('/support/tickets', { subject: 'Where is my order?', queue_id: q.id });
  t.is(res.status, 201);
  const created = res.body.data;
  const workflowId = slaWorkflowId(created.id);

  const found = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of h.deps.temporal.workflow.list({ query: `WorkspaceId = "${id}" AND ResourceId = "${created.id}"` })) ids.push(wf.workflowId);
    return ids;
  }, (ids) => ids.length > 0);
  t.deepEqual(found, [workflowId]);
  const handle = h.deps.temporal.workflow.getHandle(workflowId);
  const description = await handle.describe();
  t.is(description.type, 'supportTicketSla');
  t.is(description.status.name, 'RUNNING');
  t.is(description.typedSearchAttributes.get(WORKSPACE_ID), id);
  t.is(description.typedSearchAttributes.get(RESOURCE_ID), created.id);
  t.is(description.memo?.request_id, res.body.request_id);

  const first = await eventually(() => handle.query<SlaProgress>('slaProgress'), (p) => p.reads >= 1 && p.sleepingUntil !== null);
  t.true(await h.deps.workflows.signal(workflowId, SLA_CHANGED_SIGNAL), 'a running workflow takes the signal');
  const woken = await eventually(() => handle.query<SlaProgress>('slaProgress'), (p) => p.reads > first.reads);
  t.is(woken.reads, first.reads + 1, 'the signal made it read again');

  const answer = await client.post(`/support/tickets/${created.id}/messages`, { direction: 'outbound', body: 'It ships today.' });
  t.is(answer.status, 201);
  t.is((await client.patch(`/support/tickets/${created.id}`, { status: 'resolved' })).status, 200);
  const ended = await eventually(() => handle.describe(), (d) => d.status.name !== 'RUNNING');
  t.is(ended.status.name, 'COMPLETED');
  t.deepEqual((await handle.result()).breaches, []);
  const [row] = await h.sql('select sla_run_active, first_response_breached_at from support_tickets where id = ?', [created.id]);
  t.like(row, { sla_run_active: false, first_response_breached_at: null });

  t.false(await h.deps.workflows.signal(workflowId, SLA_CHANGED_SIGNAL), 'no open run: false, no error');
  t.false(await h.deps.workflows.signal('support-sla-ticket_missing', SLA_CHANGED_SIGNAL));
});
