// JSON logs through pino. Request-scoped children carry request_id so every line of a request
// (and of the work it starts) can be found by it. `fields` adds the fields of the current scope
// to every line (the worker's activity context: workflow id, request id). A database error is
// logged without the values of its query.
import { pino, type Logger } from 'pino';
import { serializeError } from './log-redaction.ts';

export type { Logger };

export function createLogger(level: string, name = 'slab5', destination?: NodeJS.WritableStream, fields?: () => object): Logger {
  return pino({
    name, level, base: { service: name }, timestamp: pino.stdTimeFunctions.isoTime, ...(fields ? { mixin: fields } : {}),
    // Errors under either name lose the values a database error carries (platform/log-redaction.ts).
    serializers: { err: serializeError, error: serializeError },
  }, destination as never);
}

/**
 * Standard output written asynchronously: lines logged while a write is in flight go out together
 * in the next one (one write per burst instead of one per line under load; no delay when idle).
 * What is buffered is flushed when the process exits.
 */
export const asyncStdout = (): NodeJS.WritableStream => pino.destination({ dest: 1, sync: false }) as unknown as NodeJS.WritableStream;
