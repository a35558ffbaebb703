import type { Logger } from '../../platform/logger.ts';

/** Runs cleanup once on SIGINT/SIGTERM, then exits. */
export function runUntilSignal(logger: Logger, cleanup: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    try { await cleanup(); process.exit(0); } catch (err) { logger.error({ err }, 'stop failed'); process.exit(1); }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
