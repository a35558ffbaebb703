// The pausable SLA clock as pure functions (modules/support/sla/clock.ts).
import test from 'ava';
import { applyTargets, needsWatching, readClock, syncClock } from '../../modules/support/sla/clock.ts';
import type { SupportTicket } from '../../modules/support/entities.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function clock(overrides: Partial<SupportTicket> = {}) {
  const t = {
    status: 'new', created_at: at(0), first_responded_at: null, first_response_due_at: null, first_response_breached_at: null,
    resolution_due_at: null, resolution_breached_at: null, sla_paused_at: null, sla_paused_ms: 0, ...overrides,
  } as SupportTicket;
  return t;
}

test('due times are created_at + target + the finished pauses; no queue, no due times', (t) => {
  const c = clock({ sla_paused_ms: 15 * 60_000 });
  applyTargets(c, { first_response_target_minutes: 60, resolution_target_minutes: null });
  t.deepEqual([c.first_response_due_at, c.resolution_due_at], [at(75), null]);
  applyTargets(c, null);
  t.deepEqual([c.first_response_due_at, c.resolution_due_at], [null, null]);
  t.false(needsWatching(c));
});

test('a pause moves only the targets still running, and adds up', (t) => {
  const c = clock({ first_response_due_at: at(60), resolution_due_at: at(480) });
  c.status = 'pending';
  syncClock(c, at(10));
  t.deepEqual(c.sla_paused_at, at(10));
  syncClock(c, at(20));
  t.deepEqual(c.sla_paused_at, at(10), 'a second stop keeps the first moment');
  c.status = 'open';
  syncClock(c, at(40));
  t.deepEqual([c.sla_paused_at, c.first_response_due_at, c.resolution_due_at, c.sla_paused_ms], [null, at(90), at(510), 30 * 60_000]);
  c.first_responded_at = at(50);
  c.status = 'waiting_on_customer';
  syncClock(c, at(60));
  c.status = 'open';
  syncClock(c, at(100));
  t.deepEqual([c.first_response_due_at, c.resolution_due_at], [at(90), at(550)], 'a met target keeps its due time');
});

test('readClock: missed targets, the next due time, a standing clock, and done', (t) => {
  const c = clock({ first_response_due_at: at(60), resolution_due_at: at(480) });
  t.deepEqual(readClock(c, at(10)), { missed: [], nextDeadline: at(60), done: false });
  t.deepEqual(readClock(c, at(60)), { missed: ['first_response'], nextDeadline: at(480), done: false }, 'due is due');
  t.deepEqual(readClock(c, at(500)), { missed: ['first_response', 'resolution'], nextDeadline: null, done: true });
  c.status = 'pending';
  c.sla_paused_at = at(10);
  t.deepEqual(readClock(c, at(500)), { missed: [], nextDeadline: null, done: false }, 'a standing clock misses nothing');
  c.status = 'resolved';
  t.deepEqual(readClock(c, at(10)), { missed: [], nextDeadline: null, done: true });
  const met = clock({ status: 'open', first_response_due_at: at(60), first_responded_at: at(5) });
  t.true(readClock(met, at(100)).done);
  const breached = clock({ status: 'open', first_response_due_at: at(60), first_response_breached_at: at(60), resolution_due_at: at(90) });
  t.deepEqual(readClock(breached, at(70)), { missed: [], nextDeadline: at(90), done: false }, 'a marked breach is not marked again');
});
