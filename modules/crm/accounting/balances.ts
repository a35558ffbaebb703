// Account balances from POSTED journal lines only, summed in SQL as bigint and signed by the
// account's normal side: debit-normal (asset, expense) show debits − credits, the others
// credits − debits.
import type { TenantContext } from '../../../kernel/tenant.ts';
import { sql } from '../../../platform/db.ts';
import type { AccountingAccount } from './entities.ts';

const DEBIT_NORMAL = new Set(['asset', 'expense']);

export async function balancesOf(ctx: TenantContext, accounts: AccountingAccount[]): Promise<Map<string, number>> {
  const balances = new Map<string, number>();
  if (!accounts.length) return balances;
  const rows = await sql<{ account_id: string; debits: string; credits: string }[]>(ctx.em,
    `select l.account_id, sum(l.debit_cents)::bigint::text as debits, sum(l.credit_cents)::bigint::text as credits
       from journal_lines l
       join journal_entries e on e.workspace_id = l.workspace_id and e.id = l.entry_id
      where l.workspace_id = ? and l.account_id in (?) and e.status = 'posted'
      group by l.account_id`,
    [ctx.workspaceId, accounts.map((a) => a.id)]);
  const types = new Map(accounts.map((a) => [a.id, a.type]));
  for (const row of rows) {
    const debits = BigInt(row.debits);
    const credits = BigInt(row.credits);
    balances.set(row.account_id, Number(DEBIT_NORMAL.has(types.get(row.account_id)!) ? debits - credits : credits - debits));
  }
  return balances;
}
