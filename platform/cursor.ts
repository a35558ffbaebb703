// Opaque pagination cursors: base64url JSON plus an HMAC over it, the workspace and the list, so
// a cursor cannot be forged, edited, or replayed against another list or workspace.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './errors.ts';

export interface CursorScope { secret: string; workspaceId: string; list: string }
export interface CursorPosition { after: string }

const sign = (scope: CursorScope, payload: string) =>
  createHmac('sha256', scope.secret).update(`${scope.workspaceId}\n${scope.list}\n${payload}`).digest('base64url').slice(0, 32);

export function encodeCursor(scope: CursorScope, position: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
  return `${payload}.${sign(scope, payload)}`;
}

export const invalidCursor = () => new ApiError(422, 'invalid_cursor',
  'The cursor is not valid for this list: pass next_cursor from a previous response unchanged.', { field: 'cursor' });

export function decodeCursor(scope: CursorScope, cursor: string): CursorPosition {
  const invalid = invalidCursor;
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined) throw invalid();
  const expected = Buffer.from(sign(scope, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && typeof (parsed as CursorPosition).after === 'string') return parsed as CursorPosition;
  } catch { /* falls through to invalid */ }
  throw invalid();
}
