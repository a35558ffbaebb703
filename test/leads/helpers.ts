// Shared by the lead conversion tests: raw reads of what a conversion wrote, and workspaces with
// the default deal pipeline (what provisioning seeds) so deals can be created.
import type { Client } from '@temporalio/client';
import type { Harness } from '../helpers/harness.ts';

export function dbReader(h: Harness) {
  const sql = <T = any>(query: string, params: unknown[] = []) => h.sql<T>(query, params);
  const count = async (table: string, workspaceId: string) =>
    Number((await sql<{ n: string }>(`select count(*) as n from ${table} where workspace_id = ?`, [workspaceId]))[0]!.n);
  return {
    sql,
    count,
    /** contacts, companies and deals of the workspace. */
    counts: async (workspaceId: string) => ({
      contacts: await count('contacts', workspaceId),
      companies: await count('companies', workspaceId),
      deals: await count('deals', workspaceId),
    }),
    events: async (workspaceId: string) => (await h.events(workspaceId)).filter((e) => !e.type.startsWith('deal_stage.')),
    lead: async (leadId: string) => (await sql('select * from leads where id = ?', [leadId]))[0],
  };
}

export { pipelineWorkspace } from '../helpers/fixtures.ts';

/** Visibility is eventually consistent: polls a list query until it returns at least `atLeast` rows. */
export async function listWorkflowIds(temporal: Client, query: string, timeoutMs = 15_000, atLeast = 1): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found: string[] = [];
    for await (const wf of temporal.workflow.list({ query })) found.push(wf.workflowId);
    if (found.length >= atLeast || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function waitUntil<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 120_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
