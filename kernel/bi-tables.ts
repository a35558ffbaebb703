// The tables BI may read. Each module declares its own (manifest `biTables`); the app composes
// them into one catalog that the BI module receives through its deps, so BI never hard-codes
// another module's tables. BI copies only the listed columns of one workspace's rows, and never
// `workspace_id` itself.

/** What a module declares for one of its tables. */
export interface BiTableSpec {
  /** The PostgreSQL table (public schema); it must have a `workspace_id` column. */
  table: string;
  /** One sentence for the catalog clients read. */
  description: string;
  /**
   * The columns BI may read. Omitted: every column of the table except `workspace_id`. List them
   * when the table holds anything internal (search text, tokens, workflow bookkeeping).
   */
  columns?: readonly string[];
  /**
   * Outbox event types that mean this table changed (a snapshot holding it is then rebuilt).
   * Omitted: every event type the declaring module records.
   */
  events?: readonly string[];
}

/** A table of the composed catalog: the declaration with its owner and event types resolved. */
export interface BiTable {
  module: string;
  table: string;
  description: string;
  columns: readonly string[] | null;
  events: readonly string[];
}

export type BiTables = readonly BiTable[];

/** Never exposed, whatever a declaration says. */
export const BI_HIDDEN_COLUMNS: readonly string[] = ['workspace_id'];
