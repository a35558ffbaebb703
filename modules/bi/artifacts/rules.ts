// A schedule's cron and time zone, checked by maintained parsers: the zone by ICU (Intl), the
// cron by cron-parser evaluated in that zone (out-of-range fields, impossible dates). Temporal
// parses the same 5-field expression when the Schedule is created.
import { CronExpressionParser } from 'cron-parser';
import type { FieldProblem } from '../../../platform/errors.ts';

export function timezoneProblem(timezone: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `is not a known IANA time zone: "${timezone}"`;
  }
}

export function scheduleProblems(cron: string, timezone: string): FieldProblem[] {
  const tz = timezoneProblem(timezone);
  if (tz) return [{ field: 'timezone', problem: tz }];
  try {
    CronExpressionParser.parse(cron, { tz: timezone, strict: false }).next();
    return [];
  } catch (err) {
    return [{ field: 'cron', problem: `is not a valid 5-field cron expression: ${(err as Error).message}` }];
  }
}

/** When the cron next fires after `from` (the Schedule's own answer is preferred when it exists). */
export function nextRunFromCron(cron: string, timezone: string, from = new Date()): Date | null {
  try {
    return CronExpressionParser.parse(cron, { tz: timezone, currentDate: from }).next().toDate();
  } catch {
    return null;
  }
}
