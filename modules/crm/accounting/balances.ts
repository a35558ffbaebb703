// Account balances from POSTED journal lines only, summed in SQL as bigint and signed by the
// account's normal side: debit-normal (asset, expense) show debits − credits, the others
// credits − debits.
import type { TenantContext } from '../../../kernel/tenant.ts';
import { sql } from '../../../platform/db.ts';
import { ruleViolation } from '../../../platform/errors.ts';
import { lockNaturalKey } from '../../../kernel/locks.ts';
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

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The ledger's limit: every account's balance stays within ±(2^53 − 1) cents, so it is served as
 * an exact JSON number. Posting lines that would take an account beyond it is a 422 naming the
 * account. Accounts are locked so concurrent postings see each other's sums.
 */
export async function assertBalancesStayExact(ctx: TenantContext, lines: { account_id: string; debit: number; credit: number }[]): Promise<void> {
  const delta = new Map<string, bigint>();
  for (const l of lines) delta.set(l.account_id, (delta.get(l.account_id) ?? 0n) + BigInt(l.debit) - BigInt(l.credit));
  const ids = [...delta.keys()].sort();
  for (const id of ids) await lockNaturalKey(ctx.em, 'account-postings', ctx.workspaceId, id);
  const rows = await sql<{ account_id: string; net: string }[]>(ctx.em,
    `select l.account_id, coalesce(sum(l.debit_cents - l.credit_cents), 0)::text as net
       from journal_lines l join journal_entries e on e.workspace_id = l.workspace_id and e.id = l.entry_id
      where l.workspace_id = ? and l.account_id in (?) and e.status = 'posted' group by l.account_id`,
    [ctx.workspaceId, ids]);
  const current = new Map(rows.map((r) => [r.account_id, BigInt(r.net)]));
  for (const id of ids) {
    const next = (current.get(id) ?? 0n) + delta.get(id)!;
    if (next > MAX_EXACT || next < -MAX_EXACT) {
      throw ruleViolation('lines', `Posting this entry would take account ${id}'s balance beyond ±${Number.MAX_SAFE_INTEGER} cents, the ledger's limit.`,
        { account_id: id, limit_cents: Number.MAX_SAFE_INTEGER });
    }
  }
}
