// A database error carries the values of its query: MikroORM inlines the bound parameters into
// the SQL it sends, and the driver's message is `<that SQL> - <reason>`; PostgreSQL's reason and
// `detail` quote the offending value too. Those values can be personal data or secrets, so the
// logger's error serializer keeps the statement's shape and the reason, never the values.
import { pino } from 'pino';

/** A string literal as PostgreSQL's escapeLiteral writes it ('' for a quote, E'' with backslashes). */
const LITERAL = /(?:\bE)?'(?:[^']|'')*'/g;
/** A bare numeric literal (not $1, not part of an identifier such as t1 or "col2"). */
const NUMBER = /(?<![\w$."])-?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?![\w"])/gi;
const SQL_START = /^\s*(?:\(|select|insert|update|delete|with|values|begin|commit|rollback|savepoint|release|set|lock|copy|create|alter|drop|truncate|call|do|explain|notify)\b/i;

/** PostgreSQL's reason: `for type uuid: "v"`, `value "v" is out of range`, `Key (email)=(v)`. */
export function redactReason(reason: string): string {
  return reason
    .replace(LITERAL, "'?'")
    .replace(/(:\s*|\bvalue\s+)"(?:[^"]|"")*"/g, '$1"?"')
    .replace(/\)=\(.*\)/g, ')=(?)');
}

/** `<SQL with values inlined> - <reason>` → the SQL without its literals and the reason without values. */
export function redactDbMessage(message: string): string {
  const literalsGone = message.replace(LITERAL, "'?'");
  const cut = literalsGone.lastIndexOf(' - ');
  if (cut < 0 || !SQL_START.test(literalsGone)) return redactReason(literalsGone);
  return `${literalsGone.slice(0, cut).replace(NUMBER, '?')} - ${redactReason(literalsGone.slice(cut + 3))}`;
}

/** An error of the database driver (MikroORM's DriverException or pg's DatabaseError). */
export function isDbError(err: unknown): boolean {
  const e = err as { sqlState?: unknown; code?: unknown; name?: unknown; severity?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.sqlState !== undefined || e.severity !== undefined || (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code))
    || (typeof e.name === 'string' && /(Exception|DatabaseError)$/.test(e.name));
}

const VALUE_FIELDS = ['params', 'parameters', 'bindings', 'values', 'where'];
const TEXT_FIELDS = ['message', 'stack', 'detail', 'hint', 'internalQuery', 'query', 'sql'];


/** pino's error serializer, then a database error's values taken out of every field that holds them. */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== 'object' || !isDbError(err)) return out;
  const original = (err as Error).message ?? '';
  const redacted = redactDbMessage(original);
  for (const key of TEXT_FIELDS) {
    const value = out[key];
    if (typeof value !== 'string') continue;
    // The stack and a message with causes repeat the message; what is left is redacted as a reason.
    out[key] = key === 'query' || key === 'sql' ? redactDbMessage(value) : redactReason(original ? value.split(original).join(redacted) : value);
  }
  for (const key of VALUE_FIELDS) if (key in out) out[key] = '[redacted]';
  return out;
}
