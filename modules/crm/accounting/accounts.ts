import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { alreadyExists } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordCreated } from '../../../kernel/outbox.ts';
import { lockAndFindIdByLowerColumn } from '../../../kernel/lookup.ts';
import { containsPattern, findPage, type PageRequest } from '../../../kernel/pagination.ts';
import { balancesOf } from './balances.ts';
import { AccountingAccountSchema, type AccountType, type AccountView } from './entities.ts';
import { serializeAccount } from './serializers.ts';

export interface NewAccount { code: string; name: string; type: AccountType; description?: string }

/** An account with its balance from posted entries (signed by its normal side). */
export async function createAccount(ctx: TenantContext, input: NewAccount): Promise<AccountView> {
  const existing = await lockAndFindIdByLowerColumn(ctx, ['account-code', ctx.workspaceId, input.code.toLowerCase()], 'accounting_accounts', 'code', input.code);
  if (existing) throw alreadyExists('accounting_account', 'code', existing);
  const now = new Date();
  const account = ctx.em.create(AccountingAccountSchema, {
    id: newId(CRM_IDS.account),
    workspace_id: ctx.workspaceId,
    code: input.code,
    name: input.name,
    type: input.type,
    description: input.description ?? null,
    created_at: now,
    updated_at: now,
  });
  ctx.em.persist(account);
  // A new account has no journal lines yet.
  const view = { account, balance_cents: 0 };
  recordCreated(ctx, 'accounting_account', account.id, serializeAccount(view));
  await ctx.em.flush();
  return view;
}

export interface AccountFilters extends PageRequest { type?: AccountType; query?: string }

const LIST = 'accounting_accounts';

/** The chart of accounts ordered by code (unique per workspace). */
export async function listAccounts(ctx: TenantContext, filters: AccountFilters): Promise<{ items: AccountView[]; next_cursor: string | null }> {
  const where: Record<string, unknown> = {};
  if (filters.type) where.type = filters.type;
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  const page = await findPage(ctx, AccountingAccountSchema, LIST, where as never, filters, { field: 'code', direction: 'asc' });
  const balances = await balancesOf(ctx, page.items);
  return { items: page.items.map((account) => ({ account, balance_cents: balances.get(account.id) ?? 0 })), next_cursor: page.next_cursor };
}
