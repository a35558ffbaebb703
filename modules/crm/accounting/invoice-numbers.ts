// Invoice numbers: unique per workspace regardless of case. A given number is checked under an
// advisory lock on it (the unique index is the backstop); an omitted one is the next value of
// the workspace's counter (INV-000001, ...), skipping numbers a client already used.
import { alreadyExists } from '../../../platform/errors.ts';
import { sql } from '../../../platform/db.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { lockAndFindIdByLowerColumn } from '../../../kernel/lookup.ts';

export async function claimInvoiceNumber(ctx: TenantContext, requested: string | undefined): Promise<string> {
  if (requested) {
    const existing = await lockAndFind(ctx, requested);
    if (existing) throw alreadyExists('invoice', 'invoice_number', existing);
    return requested;
  }
  for (;;) {
    const candidate = `INV-${String(await nextCounterValue(ctx)).padStart(6, '0')}`;
    if (!(await lockAndFind(ctx, candidate))) return candidate;
  }
}

async function lockAndFind(ctx: TenantContext, number: string): Promise<string | null> {
  return lockAndFindIdByLowerColumn(ctx, ['invoice-number', ctx.workspaceId, number.toLowerCase()], 'invoices', 'invoice_number', number);
}

// The counter row stays locked until the transaction ends, so two creations never draw the same
// value, and a rolled-back creation gives its value back.
async function nextCounterValue(ctx: TenantContext): Promise<number> {
  const rows = await sql<{ last_value: string }[]>(ctx.em,
    `insert into invoice_number_counters (workspace_id, last_value) values (?, 1)
     on conflict (workspace_id) do update set last_value = invoice_number_counters.last_value + 1
     returning last_value`, [ctx.workspaceId]);
  return Number(rows[0]!.last_value);
}
