import { Migration } from '@mikro-orm/migrations';

// Invoices, payments and the double-entry ledger. Money is integer cents in bigint columns.
// Child rows reference their parent through (workspace_id, id), so a line can never point into
// another workspace. The ledger's invariants (balanced entries, immutable posted entries) are
// enforced here as well as in domain/accounting, so no code path can break them.
export class Migration20261128000004_accounting extends Migration {
  override up(): void {
    this.invoices();
    this.ledger();
    this.ledgerInvariants();
  }

  private invoices(): void {
    this.addSql(`create table invoices (
      id text primary key,
      workspace_id text not null references workspaces(id),
      invoice_number text not null,
      status text not null check (status in ('draft', 'sent', 'partially_paid', 'paid', 'void')),
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      company_id text references companies(id),
      contact_id text references contacts(id),
      deal_id text references deals(id),
      issue_date date not null,
      due_date date,
      subtotal_cents bigint not null check (subtotal_cents >= 0),
      total_cents bigint not null check (total_cents >= 0),
      amount_paid_cents bigint not null default 0 check (amount_paid_cents >= 0),
      notes text,
      paid_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint invoices_not_overpaid check (amount_paid_cents <= total_cents),
      constraint invoices_workspace_id_uq unique (workspace_id, id)
    )`);
    // Invoice numbers are unique per workspace regardless of case (INV-1 and inv-1 would confuse people).
    this.addSql(`create unique index invoices_workspace_number_uq on invoices (workspace_id, lower(invoice_number))`);
    this.addSql(`create index invoices_workspace_status_idx on invoices (workspace_id, status, id)`);
    this.addSql(`create index invoices_workspace_company_idx on invoices (workspace_id, company_id, id) where company_id is not null`);
    this.addSql(`create index invoices_workspace_contact_idx on invoices (workspace_id, contact_id, id) where contact_id is not null`);
    this.addSql(`create index invoices_workspace_deal_idx on invoices (workspace_id, deal_id, id) where deal_id is not null`);

    // Generated invoice numbers: one counter row per workspace, incremented under its row lock.
    this.addSql(`create table invoice_number_counters (
      workspace_id text primary key references workspaces(id),
      last_value bigint not null
    )`);

    this.addSql(`create table invoice_line_items (
      id text primary key,
      workspace_id text not null,
      invoice_id text not null,
      position integer not null,
      kind text not null check (kind in ('service', 'product', 'subscription', 'fee', 'other')),
      name text not null,
      description text,
      quantity integer not null check (quantity >= 1),
      unit_amount_cents bigint not null check (unit_amount_cents >= 0),
      amount_cents bigint not null check (amount_cents = quantity * unit_amount_cents),
      foreign key (workspace_id, invoice_id) references invoices (workspace_id, id),
      unique (invoice_id, position)
    )`);

    this.addSql(`create table payments (
      id text primary key,
      workspace_id text not null,
      invoice_id text not null,
      amount_cents bigint not null check (amount_cents > 0),
      currency text not null,
      method text not null check (method in ('bank_transfer', 'card', 'cash', 'check', 'other')),
      paid_at timestamptz not null,
      reference text,
      notes text,
      created_at timestamptz not null default now(),
      foreign key (workspace_id, invoice_id) references invoices (workspace_id, id)
    )`);
    this.addSql(`create index payments_invoice_idx on payments (workspace_id, invoice_id, id)`);
  }

  private ledger(): void {
    this.addSql(`create table accounting_accounts (
      id text primary key,
      workspace_id text not null references workspaces(id),
      code text not null,
      name text not null,
      type text not null check (type in ('asset', 'liability', 'equity', 'revenue', 'expense')),
      description text,
      search_text text generated always as (lower(code || ' ' || name)) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint accounting_accounts_workspace_id_uq unique (workspace_id, id)
    )`);
    this.addSql(`create unique index accounting_accounts_workspace_code_uq on accounting_accounts (workspace_id, lower(code))`);
    // The list is ordered by code (keyset on code).
    this.addSql(`create index accounting_accounts_workspace_code_idx on accounting_accounts (workspace_id, code)`);
    this.addSql(`create index accounting_accounts_search_idx on accounting_accounts using gin (workspace_id, search_text gin_trgm_ops)`);

    this.addSql(`create table journal_entries (
      id text primary key,
      workspace_id text not null references workspaces(id),
      status text not null check (status in ('draft', 'posted')),
      entry_date date not null,
      memo text,
      reference text,
      total_debit_cents bigint not null check (total_debit_cents > 0),
      total_credit_cents bigint not null check (total_credit_cents > 0),
      posted_at timestamptz,
      search_text text generated always as (lower(coalesce(memo, '') || ' ' || coalesce(reference, ''))) stored,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint journal_entries_balanced check (total_debit_cents = total_credit_cents),
      constraint journal_entries_posted_at check ((status = 'posted') = (posted_at is not null)),
      constraint journal_entries_workspace_id_uq unique (workspace_id, id)
    )`);
    // The list is newest first by entry_date, then id.
    this.addSql(`create index journal_entries_workspace_date_idx on journal_entries (workspace_id, entry_date desc, id desc)`);
    this.addSql(`create index journal_entries_workspace_status_date_idx on journal_entries (workspace_id, status, entry_date desc, id desc)`);
    this.addSql(`create index journal_entries_search_idx on journal_entries using gin (workspace_id, search_text gin_trgm_ops)`);

    this.addSql(`create table journal_lines (
      id text primary key,
      workspace_id text not null,
      entry_id text not null,
      position integer not null,
      account_id text not null,
      debit_cents bigint not null check (debit_cents >= 0),
      credit_cents bigint not null check (credit_cents >= 0),
      description text,
      constraint journal_lines_one_side check ((debit_cents > 0) <> (credit_cents > 0)),
      -- Deferred: an entry's lines are written before the entry row, so that once a posted entry
      -- exists no line can be added to it (see journal_lines_refuse_posted_change).
      foreign key (workspace_id, entry_id) references journal_entries (workspace_id, id) deferrable initially deferred,
      foreign key (workspace_id, account_id) references accounting_accounts (workspace_id, id),
      unique (entry_id, position)
    )`);
    // Balances sum an account's lines.
    this.addSql(`create index journal_lines_account_idx on journal_lines (workspace_id, account_id) include (entry_id, debit_cents, credit_cents)`);
  }

  private ledgerInvariants(): void {
    // At commit, every touched entry has at least two lines whose sums equal the entry's equal
    // totals: an unbalanced entry can never be committed, posted or not.
    this.addSql(`create function journal_entry_assert_balanced(entry_id_ text, from_line boolean) returns void language plpgsql as $$
      declare
        e record;
        n integer;
        debits numeric;
        credits numeric;
      begin
        select total_debit_cents, total_credit_cents, xmin into e from journal_entries where id = entry_id_;
        if not found then return; end if;
        -- When this transaction also wrote the entry row, the entry's own deferred check covers it:
        -- a 500-line entry is then checked once, not once per line.
        if from_line and e.xmin = pg_current_xact_id()::xid then return; end if;
        select count(*), coalesce(sum(debit_cents), 0), coalesce(sum(credit_cents), 0) into n, debits, credits
          from journal_lines where entry_id = entry_id_;
        if n < 2 or debits <> credits or debits <> e.total_debit_cents or credits <> e.total_credit_cents then
          raise exception 'journal entry % is unbalanced or incomplete: % lines, debits %, credits %', entry_id_, n, debits, credits
            using errcode = 'check_violation';
        end if;
      end $$`);
    this.addSql(`create function journal_entries_check_balanced() returns trigger language plpgsql as $$
      begin
        perform journal_entry_assert_balanced(new.id, false);
        return null;
      end $$`);
    this.addSql(`create function journal_lines_check_balanced() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform journal_entry_assert_balanced(old.entry_id, true);
        else
          perform journal_entry_assert_balanced(new.entry_id, true);
        end if;
        return null;
      end $$`);
    this.addSql(`create constraint trigger journal_entries_balanced_trg after insert or update on journal_entries
      deferrable initially deferred for each row execute function journal_entries_check_balanced()`);
    this.addSql(`create constraint trigger journal_lines_balanced_trg after insert or update or delete on journal_lines
      deferrable initially deferred for each row execute function journal_lines_check_balanced()`);

    // A posted entry never changes: no update or delete of it or its lines, and no line added to
    // it once it exists (its own lines are inserted before it).
    this.addSql(`create function journal_entries_refuse_posted_change() returns trigger language plpgsql as $$
      begin
        if old.status = 'posted' then
          raise exception 'journal entry % is posted and cannot change', old.id using errcode = 'restrict_violation';
        end if;
        if tg_op = 'DELETE' then return old; end if;
        return new;
      end $$`);
    this.addSql(`create function journal_lines_refuse_posted_change() returns trigger language plpgsql as $$
      declare
        entry_id_ text;
      begin
        if tg_op = 'INSERT' then entry_id_ := new.entry_id; else entry_id_ := old.entry_id; end if;
        if exists (select 1 from journal_entries where id = entry_id_ and status = 'posted') then
          raise exception 'journal entry % is posted and its lines cannot change', entry_id_ using errcode = 'restrict_violation';
        end if;
        if tg_op = 'DELETE' then return old; end if;
        return new;
      end $$`);
    this.addSql(`create trigger journal_entries_immutable_trg before update or delete on journal_entries
      for each row execute function journal_entries_refuse_posted_change()`);
    this.addSql(`create trigger journal_lines_immutable_trg before insert or update or delete on journal_lines
      for each row execute function journal_lines_refuse_posted_change()`);
  }
}
