// When a snapshot stops being current: every write to a module's tables records its domain event
// in the outbox, in the same transaction. A table snapshot remembers how many of its tables'
// event types the workspace had recorded (since a floor) just before the copy started; once the
// outbox holds more, a write committed after the copy and the snapshot is rebuilt. The floor sits
// a margin before the copy so that a transaction that began earlier and committed later is still
// counted; the snapshot TTL covers whatever writes no event (and clock skew beyond the margin).
import { sql, type MikroORM } from '../../../platform/db.ts';

export const WRITE_MARGIN_MS = 10 * 60_000;

export interface Watermark {
  /** When the copy started: the snapshot time reported to clients. */
  at: Date;
  floor: Date;
  /** Events of `events` after `floor` in the workspace, counted before the copy. */
  baseline: number;
  events: readonly string[];
}

export async function takeWatermark(orm: MikroORM, workspaceId: string, events: readonly string[]): Promise<Watermark> {
  const at = new Date();
  const floor = new Date(at.getTime() - WRITE_MARGIN_MS);
  if (!events.length) return { at, floor, baseline: 0, events };
  const [row] = await sql<{ n: string }[]>(orm.em.fork(),
    `select count(*) as n from outbox_events
     where workspace_id = ? and occurred_at > ? and type in (select jsonb_array_elements_text(?::jsonb))`,
    [workspaceId, floor, JSON.stringify(events)]);
  return { at, floor, baseline: Number(row?.n ?? 0), events };
}

/** For each watermark, whether the workspace recorded one of its events since: one query for all. */
export async function writtenSince(orm: MikroORM, workspaceId: string, marks: readonly Watermark[]): Promise<boolean[]> {
  const counted = marks.filter((m) => m.events.length);
  if (!counted.length) return marks.map(() => false);
  const params: unknown[] = [];
  const columns = counted.map((m, i) => {
    params.push(m.floor, JSON.stringify(m.events));
    return `count(*) filter (where occurred_at > ? and type in (select jsonb_array_elements_text(?::jsonb))) as c${i}`;
  });
  const floor = new Date(Math.min(...counted.map((m) => m.floor.getTime())));
  const [row] = await sql<Record<string, string>[]>(orm.em.fork(),
    `select ${columns.join(', ')} from outbox_events where workspace_id = ? and occurred_at > ?`, [...params, workspaceId, floor]);
  return marks.map((m) => {
    const i = counted.indexOf(m);
    return i >= 0 && Number(row?.[`c${i}`] ?? 0) > m.baseline;
  });
}
