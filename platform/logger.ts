// JSON logs through pino. Request-scoped children carry request_id so every line of a request
// (and of the work it starts) can be found by it.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, name = 'slab5', destination?: NodeJS.WritableStream): Logger {
  return pino({ name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime }, destination as never);
}
