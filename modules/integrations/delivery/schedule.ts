// The retry schedule (Svix's): attempts go out immediately, then 5 s, 5 min, 30 min, 2 h, 5 h,
// 10 h and 10 h after the previous failure, each wait stretched by up to 20 % of jitter (so a
// failing endpoint's retries do not arrive in lockstep). 429 and 503 wait at least their
// Retry-After. Pure and deterministic given its random source: the workflow computes it.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The wait after failed attempt n (index n - 1). */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;
export const JITTER = 0.2;

/** An endpoint whose every attempt failed for this long is disabled. */
export const FAILING_ENDPOINT_DISABLE_MS = 5 * 24 * HOUR;

/** How long to wait after failed attempt n before the next, or null when it was the last. */
export function retryWait(failedAttempt: number, random: number, retryAfterMs: number | null = null): number | null {
  const base = RETRY_SCHEDULE_MS[failedAttempt - 1];
  if (base === undefined) return null;
  const jittered = Math.round(base * (1 + JITTER * random));
  return retryAfterMs === null ? jittered : Math.max(jittered, retryAfterMs);
}

/** Whether an endpoint failing since `failingSince` is to be disabled at `at`. */
export const failingTooLong = (failingSince: Date | null, at: Date): boolean =>
  failingSince !== null && at.getTime() - failingSince.getTime() >= FAILING_ENDPOINT_DISABLE_MS;
