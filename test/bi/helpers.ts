// Shared setup of the BI tests: a workspace with deals (and contacts), and request helpers that
// fail loudly on an unexpected answer.
import type { ExecutionContext } from 'ava';
import type { Harness } from '../helpers/harness.ts';
import type { ApiClient, ApiResponse } from '../helpers/client.ts';
import { pipelineWorkspace } from '../helpers/fixtures.ts';

export type Workspace = Awaited<ReturnType<Harness['workspace']>>;

/** A workspace with the default pipeline and deals: amounts 1000, 2000, ... in stages cycling discovery / qualified / proposal. */
export async function dealsWorkspace(h: Harness, deals = 6): Promise<Workspace & { dealIds: string[] }> {
  const ws = await pipelineWorkspace(h);
  const stages = ['discovery', 'qualified', 'proposal'];
  const dealIds: string[] = [];
  for (let i = 0; i < deals; i++) {
    const res = await ws.client.post('/deals', { name: `Deal ${i}`, amount_cents: 1000 * (i + 1), currency: 'USD', stage: stages[i % 3] });
    if (res.status !== 201) throw new Error(`POST /deals answered ${res.status}: ${JSON.stringify(res.body)}`);
    dealIds.push(res.body.data.id);
  }
  return { ...ws, dealIds };
}

/** Asserts the status and the contract, and returns the response's data. */
export async function expectOk<T = any>(t: ExecutionContext, res: Promise<ApiResponse> | ApiResponse, status = 200): Promise<T> {
  const r = await res;
  t.is(r.status, status, JSON.stringify(r.body).slice(0, 1500));
  t.deepEqual(r.contractErrors, []);
  return r.body?.data as T;
}

/** Asserts an error status, code and the contract; returns the error. */
export async function expectError(t: ExecutionContext, res: Promise<ApiResponse> | ApiResponse, status: number, code: string): Promise<{ code: string; message: string; details: any }> {
  const r = await res;
  t.is(r.status, status, JSON.stringify(r.body).slice(0, 1500));
  t.is(r.body?.error?.code, code, JSON.stringify(r.body).slice(0, 1500));
  t.deepEqual(r.contractErrors, []);
  return r.body.error;
}

export const fields = (error: { details: any }) => (error.details?.fields ?? []).map((f: { field: string }) => f.field);

export const sqlQuery = (client: ApiClient, sql: string, extra: Record<string, unknown> = {}) => client.post('/bi/queries/run', { sql, ...extra });

export async function tableDataset(t: ExecutionContext, client: ApiClient, table = 'deals', extra: Record<string, unknown> = {}) {
  return expectOk(t, client.post('/bi/datasets', { name: `${table} dataset`, kind: 'table', source_table: table, ...extra }), 201);
}

/** A bar report of the deals' summed amount by stage (the chart the report page and the mails draw), with its dataset. */
export async function pipelineReport(t: ExecutionContext, ws: Workspace, name = 'Pipeline by stage') {
  const ds = await tableDataset(t, ws.client, 'deals');
  const total = await expectOk(t, ws.client.post('/bi/metrics', { name: 'Pipeline value', dataset_id: ds.id, aggregation: 'sum', column: 'amount_cents' }), 201);
  const report = await expectOk(t, ws.client.post('/bi/reports', {
    name, dataset_id: ds.id, dimensions: ['stage'], metric_ids: [total.id], sort: [{ column: 'stage', direction: 'asc' }], visualization: 'bar',
  }), 201);
  return { ds, report };
}
