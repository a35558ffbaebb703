// The mail ledger of a scheduled run (bi_artifact_mails): what brings a delivery as close to
// exactly-once as SMTP allows. A recipient's row counts the attempt before its SMTP send and is
// marked sent after it; a retried delivery skips the recipients marked. The one ambiguous window
// left is a send the server accepted whose mark did not commit (the worker died in between): that
// recipient gets the mail again with the same Message-ID, so mail clients can recognise it.
import { createHash } from 'node:crypto';
import { sql, type EntityManager } from '../../../platform/db.ts';

export interface MailEntry { recipient: string; messageId: string; attempts: number; sentAt: Date | null }

/** One Message-ID per (run's export, recipient): a resend is recognisably the same mail. */
export const mailMessageId = (exportId: string, recipient: string) =>
  `<${exportId}.${createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 16)}@slab5>`;

/** The run's ledger: written from `recipients` by the first attempt, read as it stands by later ones. */
export async function planMails(em: EntityManager, workspaceId: string, exportId: string, recipients: string[]): Promise<MailEntry[]> {
  // The export's row lock makes concurrent attempts plan one ledger.
  await sql(em, 'select 1 from bi_exports where workspace_id = ? and id = ? for update', [workspaceId, exportId]);
  const planned = await sql<{ n: number }[]>(em, 'select count(*)::int as n from bi_artifact_mails where workspace_id = ? and export_id = ?', [workspaceId, exportId]);
  if (planned[0]!.n === 0) {
    for (const [position, recipient] of recipients.entries()) {
      await sql(em, `insert into bi_artifact_mails (workspace_id, export_id, position, recipient, message_id) values (?, ?, ?, ?, ?)
        on conflict do nothing`, [workspaceId, exportId, position, recipient, mailMessageId(exportId, recipient)]);
    }
  }
  const rows = await sql<{ recipient: string; message_id: string; attempts: number; sent_at: Date | null }[]>(em,
    'select recipient, message_id, attempts, sent_at from bi_artifact_mails where workspace_id = ? and export_id = ? order by position', [workspaceId, exportId]);
  return rows.map((r) => ({ recipient: r.recipient, messageId: r.message_id, attempts: r.attempts, sentAt: r.sent_at }));
}

/** Counts an attempt, committed before the send: attempts above 1 on an unsent row mark a possible duplicate. */
export async function markAttempt(em: EntityManager, workspaceId: string, exportId: string, recipient: string): Promise<void> {
  await sql(em, 'update bi_artifact_mails set attempts = attempts + 1, last_attempt_at = now() where workspace_id = ? and export_id = ? and recipient = ?',
    [workspaceId, exportId, recipient]);
}

/** Marks the recipient served; answers whether this mark completed the run (it is delivered: the caller records it once). */
export async function markSent(em: EntityManager, workspaceId: string, exportId: string, recipient: string): Promise<boolean> {
  await sql(em, 'select 1 from bi_exports where workspace_id = ? and id = ? for update', [workspaceId, exportId]);
  const marked = await sql<unknown[]>(em, 'update bi_artifact_mails set sent_at = now() where workspace_id = ? and export_id = ? and recipient = ? and sent_at is null returning 1',
    [workspaceId, exportId, recipient]);
  if (marked.length === 0) return false;
  const left = await sql<{ n: number }[]>(em, 'select count(*)::int as n from bi_artifact_mails where workspace_id = ? and export_id = ? and sent_at is null', [workspaceId, exportId]);
  return left[0]!.n === 0;
}
