import { Migration } from '@mikro-orm/migrations';

// The mail ledger of scheduled-artifact runs: one row per (export, recipient), written before the
// SMTP send and marked after it, so a retried delivery skips the recipients already served. The
// recipients are fixed by the first attempt (an edit of the artifact meanwhile changes later runs).
export class Migration20261202080001_bi_artifact_mails extends Migration {
  override up(): void {
    this.addSql(`create table bi_artifact_mails (
      workspace_id text not null references workspaces(id),
      export_id text not null,
      position integer not null,
      recipient text not null,
      message_id text not null,
      attempts integer not null default 0,
      last_attempt_at timestamptz,
      sent_at timestamptz,
      primary key (workspace_id, export_id, recipient),
      unique (workspace_id, export_id, position),
      foreign key (workspace_id, export_id) references bi_exports (workspace_id, id)
    )`);
  }
}
