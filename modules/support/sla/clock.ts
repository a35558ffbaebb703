// A ticket's pausable SLA clock (Zendesk's model), as pure functions on the ticket's fields. Due
// times are created_at + the queue's target + every finished pause. The clock runs only while the
// ticket is `new` or `open`: `pending` and `waiting_on_customer` (waiting on someone else),
// `resolved` and `closed` stop it, and when it runs again the pause is added to the due times
// still running. A target is met by the first outbound message (first response) or by resolving.
import type { SupportQueue, SupportTicket, TicketStatus } from '../entities.ts';
import type { SlaTarget } from './types.ts';

export const CLOCK_RUNS_IN: readonly TicketStatus[] = ['new', 'open'];

export type SlaTargets = Pick<SupportQueue, 'first_response_target_minutes' | 'resolution_target_minutes'>;

type Clock = Pick<SupportTicket,
  'status' | 'created_at' | 'first_responded_at' | 'first_response_due_at' | 'first_response_breached_at'
  | 'resolution_due_at' | 'resolution_breached_at' | 'sla_paused_at' | 'sla_paused_ms'>;

const FIELDS = {
  first_response: { due: 'first_response_due_at', breached: 'first_response_breached_at' },
  resolution: { due: 'resolution_due_at', breached: 'resolution_breached_at' },
} as const;
const TARGETS = Object.keys(FIELDS) as SlaTarget[];

export const dueOf = (t: Clock, target: SlaTarget): Date | null => t[FIELDS[target].due] ?? null;

/** Due times from a queue's targets (none without a queue); an ongoing pause is added when it ends. */
export function applyTargets(t: Clock, targets: SlaTargets | null): void {
  const due = (minutes: number | null | undefined) =>
    (minutes == null ? null : new Date(t.created_at.getTime() + minutes * 60_000 + t.sla_paused_ms));
  t.first_response_due_at = due(targets?.first_response_target_minutes);
  t.resolution_due_at = due(targets?.resolution_target_minutes);
}

/** A target still to meet: it has a due time, was neither met nor missed. */
function running(t: Clock, target: SlaTarget): boolean {
  if (!dueOf(t, target) || t[FIELDS[target].breached]) return false;
  return target === 'first_response' ? !t.first_responded_at : true;
}

/** Stops or restarts the clock to match the status; a restart moves the running due times by the pause. */
export function syncClock(t: Clock, now: Date): void {
  const runs = CLOCK_RUNS_IN.includes(t.status);
  if (!runs && !t.sla_paused_at) t.sla_paused_at = now;
  if (!runs || !t.sla_paused_at) return;
  const paused = Math.max(0, now.getTime() - t.sla_paused_at.getTime());
  for (const target of TARGETS) {
    if (running(t, target)) t[FIELDS[target].due] = new Date(dueOf(t, target)!.getTime() + paused);
  }
  t.sla_paused_ms += paused;
  t.sla_paused_at = null;
}

/** Whether a workflow must watch the ticket: it is not resolved or closed and a target is running. */
export function needsWatching(t: Clock): boolean {
  return t.status !== 'resolved' && t.status !== 'closed' && TARGETS.some((target) => running(t, target));
}

export interface ClockReading { missed: SlaTarget[]; nextDeadline: Date | null; done: boolean }

/** What the clock says at `now`: the targets missed (not yet marked), the next due time, or that nothing is left. */
export function readClock(t: Clock, now: Date): ClockReading {
  if (!needsWatching(t)) return { missed: [], nextDeadline: null, done: true };
  if (t.sla_paused_at) return { missed: [], nextDeadline: null, done: false };
  const live = TARGETS.filter((target) => running(t, target));
  const missed = live.filter((target) => dueOf(t, target)!.getTime() <= now.getTime());
  const upcoming = live.filter((target) => !missed.includes(target)).map((target) => dueOf(t, target)!.getTime());
  return { missed, nextDeadline: upcoming.length ? new Date(Math.min(...upcoming)) : null, done: !upcoming.length };
}

/** Marks a missed target as breached at its due time (when it was missed, not when it was noticed). */
export function markBreached(t: Clock, target: SlaTarget): Date {
  const due = dueOf(t, target)!;
  t[FIELDS[target].breached] = due;
  return due;
}
