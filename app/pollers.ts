// Background loops of the worker process: the workflow-command relay and the modules' pollers
// (an outbox relay, ...). One pass at a time per loop; a failed pass is logged and the loop goes
// on; stop() waits for the pass in flight.
import type { Logger } from '../platform/logger.ts';
import type { PollerDeps, PollerSpec } from '../modules/manifest.ts';

export interface Loop { stop: () => Promise<void> }

/**
 * Runs pass() now and then every intervalMs after the previous pass ends, or right away while
 * `again` says the pass found work (a backlog drains without waiting an interval per batch).
 */
export function repeat(pass: () => Promise<unknown>, opts: { intervalMs: number; onError: (err: unknown) => void; again?: (result: unknown) => boolean }): Loop {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const tick = () => {
    current = pass().then((result) => opts.again?.(result) ?? false, (err) => { opts.onError(err); return false; })
      .then((now) => { if (!stopped) timer = setTimeout(tick, now ? 0 : opts.intervalMs); });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}

/** The pollers a worker runs (WORKER_POLLERS); an unknown name stops the worker at start. */
export function selectPollers(specs: readonly PollerSpec[], wanted: 'all' | readonly string[]): PollerSpec[] {
  if (wanted === 'all') return [...specs];
  const unknown = wanted.filter((name) => !specs.some((s) => s.name === name));
  if (unknown.length) throw new Error(`WORKER_POLLERS names unknown pollers: ${unknown.join(', ')} (known: ${specs.map((s) => s.name).join(', ') || 'none'}).`);
  return specs.filter((s) => wanted.includes(s.name));
}

/** Starts the pollers: each polls again at once while it reports work done. */
export function startPollers(specs: readonly PollerSpec[], deps: PollerDeps, logger: Logger): Loop {
  const loops = specs.map((spec) => {
    const log = logger.child({ poller: spec.name });
    return repeat(() => spec.poll({ ...deps, logger: log }), {
      intervalMs: spec.intervalMs,
      again: (handled) => typeof handled === 'number' && handled > 0,
      onError: (err) => log.warn({ err }, 'poller pass failed'),
    });
  });
  return { stop: async () => { await Promise.all(loops.map((l) => l.stop())); } };
}
