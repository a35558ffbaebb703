// Journal entries. Only creation exists: no code path updates an entry, and the database refuses
// any change to a posted entry or its lines and any unbalanced entry at commit (see the
// accounting migration), so "posted is immutable" and "unbalanced never posts" hold beyond this file.
import { newId } from '../../../platform/ids.ts';
import { CRM_IDS } from '../ids.ts';
import { notFound, ruleViolation, validationFailed } from '../../../platform/errors.ts';
import type { TenantContext } from '../../../kernel/tenant.ts';
import { recordCreated, recordEvent } from '../../../kernel/outbox.ts';
import { containsPattern, findPage, type PageRequest } from '../../../kernel/pagination.ts';
import { AccountingAccountSchema, JournalEntrySchema, JournalLineSchema, type JournalLine, type JournalEntryView } from './entities.ts';
import { checkedSum, todayUtc } from './money.ts';
import { assertBalancesStayExact } from './balances.ts';
import { serializeJournalEntry } from './serializers.ts';

export interface NewJournalLine { account_id: string; debit_cents?: number; credit_cents?: number; description?: string }

export interface NewJournalEntry {
  status?: 'draft' | 'posted';
  entry_date?: string;
  memo?: string;
  reference?: string;
  lines: NewJournalLine[];
}

export async function createJournalEntry(ctx: TenantContext, input: NewJournalEntry): Promise<JournalEntryView> {
  const sides = checkLines(input.lines);
  const debits = checkedSum('lines', sides.map((s) => s.debit), 'The total of debits');
  const credits = checkedSum('lines', sides.map((s) => s.credit), 'The total of credits');
  if (debits !== credits) {
    throw ruleViolation('lines', `The entry is unbalanced: debits total ${debits} cents and credits total ${credits} cents; they must be equal.`,
      { total_debit_cents: debits, total_credit_cents: credits });
  }
  await assertAccountsExist(ctx, input.lines.map((l) => l.account_id));
  if (input.status === 'posted') await assertBalancesStayExact(ctx, input.lines.map((l, i) => ({ account_id: l.account_id, ...sides[i]! })));

  // The lines go in before the entry row (their foreign key is deferred): once a posted entry
  // exists, the database refuses any line added to it. (em.create persists on creation, so the
  // entry is only created after the lines are flushed.)
  const entryId = newId(CRM_IDS.journalEntry);
  const lines = input.lines.map((line, position) => ctx.em.create(JournalLineSchema, {
    id: newId(CRM_IDS.journalLine),
    workspace_id: ctx.workspaceId,
    entry_id: entryId,
    position,
    account_id: line.account_id,
    debit_cents: sides[position]!.debit,
    credit_cents: sides[position]!.credit,
    description: line.description ?? null,
  }));
  await ctx.em.persist(lines).flush();

  const now = new Date();
  const posted = input.status === 'posted';
  const entry = ctx.em.create(JournalEntrySchema, {
    id: entryId,
    workspace_id: ctx.workspaceId,
    status: posted ? 'posted' : 'draft',
    entry_date: input.entry_date ?? todayUtc(),
    memo: input.memo ?? null,
    reference: input.reference ?? null,
    total_debit_cents: debits,
    total_credit_cents: credits,
    posted_at: posted ? now : null,
    created_at: now,
    updated_at: now,
  });
  ctx.em.persist(entry);
  const view = { entry, lines };
  const payload = serializeJournalEntry(view);
  recordCreated(ctx, 'journal_entry', entry.id, payload);
  if (posted) recordEvent(ctx, { type: 'journal_entry.posted', resource_type: 'journal_entry', resource_id: entry.id, payload });
  await ctx.em.flush();
  return view;
}

/** Each line has exactly one positive side (the contract's oneOf says so too; this is the rule, not a re-parse). */
function checkLines(lines: NewJournalLine[]): { debit: number; credit: number }[] {
  if (lines.length < 2) throw ruleViolation('lines', `A journal entry needs at least two lines (got ${lines.length}).`);
  const problems: { field: string; problem: string }[] = [];
  const sides = lines.map((line, i) => {
    const debit = line.debit_cents ?? 0;
    const credit = line.credit_cents ?? 0;
    if ((debit > 0) === (credit > 0)) problems.push({ field: `lines.${i}`, problem: 'must have exactly one positive side: debit_cents or credit_cents' });
    return { debit, credit };
  });
  if (problems.length) throw validationFailed(problems);
  return sides;
}

async function assertAccountsExist(ctx: TenantContext, ids: string[]): Promise<void> {
  const wanted = [...new Set(ids)];
  const found = await ctx.em.find(AccountingAccountSchema, { workspace_id: ctx.workspaceId, id: { $in: wanted } }, { fields: ['id'] });
  const known = new Set(found.map((a) => a.id));
  const missing = wanted.find((id) => !known.has(id));
  if (missing) throw notFound('accounting_account', missing);
}

/** The lines of these entries, grouped by entry id, in position order. */
async function loadLines(ctx: TenantContext, entryIds: string[]): Promise<Map<string, JournalLine[]>> {
  const byEntry = new Map<string, JournalLine[]>(entryIds.map((id) => [id, []]));
  if (!entryIds.length) return byEntry;
  const lines = await ctx.em.find(JournalLineSchema, { workspace_id: ctx.workspaceId, entry_id: { $in: entryIds } },
    { orderBy: { entry_id: 'asc', position: 'asc' } });
  for (const line of lines) byEntry.get(line.entry_id)!.push(line);
  return byEntry;
}

export interface JournalEntryFilters extends PageRequest { status?: 'draft' | 'posted'; query?: string }

const LIST = 'journal_entries';

/** Newest first by entry_date, then by id (creation). */
export async function listJournalEntries(ctx: TenantContext, filters: JournalEntryFilters): Promise<{ items: JournalEntryView[]; next_cursor: string | null }> {
  const where: Record<string, unknown> = {};
  if (filters.status) where.status = filters.status;
  if (filters.query) where.search_text = { $like: containsPattern(filters.query) };
  const page = await findPage(ctx, JournalEntrySchema, LIST, where as never, filters, { field: 'entry_date', direction: 'desc' });
  const lines = await loadLines(ctx, page.items.map((e) => e.id));
  return { items: page.items.map((entry) => ({ entry, lines: lines.get(entry.id)! })), next_cursor: page.next_cursor };
}
