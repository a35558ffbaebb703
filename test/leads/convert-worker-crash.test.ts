// A worker killed in the middle of a conversion, then replaced, finishes it with exactly one
// contact, company and deal. The test runs its own worker process on a task queue of its own,
// so it can SIGKILL it without touching the shared test worker.
import test from 'ava';
import { lockNaturalKey } from '../../kernel/locks.ts';
import type { ConvertLeadResult } from '../../modules/crm/leads/conversion/types.ts';
import { bootHarness, type Harness } from '../helpers/harness.ts';
import { workerProcesses } from '../helpers/worker-processes.ts';
import { dbReader, pipelineWorkspace, waitUntil } from './helpers.ts';

const workers = workerProcesses('crash');
let h: Harness;

test.before(async () => { h = await bootHarness({ TEMPORAL_TASK_QUEUE: workers.queue, CONVERT_WAIT_MS: '0' }); });

test.after.always(async () => {
  await workers.killAll();
  await h?.close();
});

test('a worker killed mid-conversion and restarted finishes it with exactly one contact, company and deal', async (t) => {
  const db = dbReader(h);
  const { client, id } = await pipelineWorkspace(h);
  const email = 'crash@victim.example';
  const lead = (await client.post('/leads', { name: 'Crash Victim', email, company_name: 'Victim Co', company_domain: 'victim.example' })).body.data;

  // Hold the natural-key lock the contact step takes (the same lock a concurrent createContact
  // would hold): the company step commits, the contact step waits, and the kill lands there.
  const holder = h.deps.orm.em.fork();
  await holder.begin();
  let held = true;
  try {
    await lockNaturalKey(holder, 'contact-email', id, email);
    const first = workers.start();
    const res = await client.post(`/leads/${lead.id}/convert`, { create_deal: true, deal_name: 'Crash deal' });
    t.is(res.status, 202);
    t.deepEqual(res.contractErrors, []);
    t.is(res.body.data.status, 'converting');

    const companyId = await waitUntil('the company step to commit', async () => (await db.lead(lead.id)).company_id as string | null);
    // The contact step is in flight: its transaction waits for the lock (the email is inlined in the SQL).
    await waitUntil('the contact step to wait for the lock', async () => (await db.sql(
      `select 1 from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory' and query like ?`, [`%${email}%`])).length > 0);
    t.like(await db.lead(lead.id), { status: 'converting', contact_id: null, deal_id: null });
    await workers.kill(first);
    t.is(first.signalCode, 'SIGKILL');
    await holder.commit();
    held = false;

    workers.start();
    const handle = h.deps.temporal.workflow.getHandle(res.body.data.conversion_workflow_id);
    const result = await handle.result() as ConvertLeadResult;
    t.is(result.company_id, companyId, 'the company created before the crash is the one used');
    // The killed worker ran the company step and died inside the contact step, which its
    // replacement ran again.
    const events = (await handle.fetchHistory()).events ?? [];
    const ranBy = (activity: string) => {
      const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity);
      return events.find((e) => String(e.activityTaskStartedEventAttributes?.scheduledEventId) === String(scheduled?.eventId))
        ?.activityTaskStartedEventAttributes;
    };
    t.is(ranBy('ensureConversionCompany')?.identity, workers.identity(first));
    t.not(ranBy('ensureConversionContact')?.identity, ranBy('ensureConversionCompany')?.identity);
    t.true((ranBy('ensureConversionContact')?.attempt ?? 0) >= 2, 'the contact step ran a second attempt');
  } finally {
    if (held) await holder.rollback();
  }

  t.deepEqual(await db.counts(id), { contacts: 1, companies: 1, deals: 1 });
  const converted = (await client.get('/leads')).body.data[0];
  t.like(converted, { id: lead.id, status: 'converted' });
  const events = (await db.events(id)).map((e) => e.type);
  for (const type of ['company.created', 'contact.created', 'deal.created', 'lead.converted']) {
    t.is(events.filter((e) => e === type).length, 1, type);
  }
  const [deal] = await db.sql('select * from deals where workspace_id = ?', [id]);
  t.like(deal, { lead_id: lead.id, company_id: converted.company_id, contact_id: converted.contact_id, name: 'Crash deal' });
});
