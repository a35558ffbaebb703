// SQL text BI writes itself: identifiers always double-quoted, literals only for values BI owns
// (file paths, validated ids), and DuckDB's errors turned into the client's 422.
import { ApiError } from '../../../platform/errors.ts';

/** "name" with embedded quotes doubled: whatever the text, it is one identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** 'text' with embedded quotes doubled (DuckDB reads no backslash escapes in '...'). */
export const quoteString = (text: string) => `'${text.replace(/'/g, "''")}'`;

// Failures that are ours, not the statement's: the engine itself or its files.
const SERVER_SIDE = /^(INTERNAL|FATAL|IO|Connection) Error/;

/**
 * A DuckDB error from a client's statement as 422 `rule_violation` on `field`, with DuckDB's
 * message and, when DuckDB points at it, the 1-based line and column in the client's SQL.
 */
export function duckdbProblem(err: unknown, field: string, sql?: string): Error {
  const message = (err as Error)?.message ?? String(err);
  if (SERVER_SIDE.test(message)) return err as Error;
  const [first = message] = message.split('\n');
  const where = sql ? locate(message, sql) : null;
  return new ApiError(422, 'rule_violation', `DuckDB refused the query: ${first}`, {
    field, duckdb_error: message.slice(0, 2000), ...(where ?? {}),
  });
}

/** DuckDB marks the position as "LINE n: <excerpt>" and a caret line below it. */
function locate(message: string, sql: string): { line: number; column: number } | null {
  const m = /LINE (\d+): (.*)\n( *)\^/.exec(message);
  if (!m) return null;
  const line = Number(m[1]);
  const prefix = `LINE ${m[1]}: `.length;
  let excerpt = m[2]!;
  let caret = m[3]!.length - prefix;
  // Long lines are shown as a window with "..." at its cut ends.
  if (excerpt.startsWith('...')) { excerpt = excerpt.slice(3); caret -= 3; }
  if (excerpt.endsWith('...')) excerpt = excerpt.slice(0, -3);
  const text = sql.split('\n')[line - 1];
  if (text === undefined || caret < 0) return null;
  const at = text.indexOf(excerpt.trimEnd());
  return { line, column: (at < 0 ? 0 : at) + caret + 1 };
}
