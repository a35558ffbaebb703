// Webhook receivers for the tests: real HTTP servers on loopback that record what they get and
// answer as a test says (status, body, headers, or never).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Harness } from '../helpers/harness.ts';
import type { ApiClient } from '../helpers/client.ts';
import { waitUntil } from '../leads/helpers.ts';

export { waitUntil };

export interface Received { path: string; headers: IncomingHttpHeaders; body: string; at: number }
export interface Answer { status: number; body?: string; headers?: Record<string, string>; hang?: boolean }

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** How to answer the next requests (default 200). */
  answer: (fn: (req: Received, index: number) => Answer) => void;
  close: () => Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  let answer: (req: Received, index: number) => Answer = () => ({ status: 200, body: 'ok' });
  const hanging = new Set<() => void>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: Received = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      received.push(r);
      const a = answer(r, received.length - 1);
      if (a.hang) { hanging.add(() => res.destroy()); return; }
      res.writeHead(a.status, a.headers ?? {});
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/hooks`,
    port: bound,
    received,
    answer: (fn) => { answer = fn; },
    close: async () => {
      for (const end of hanging) end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Receivers a test file starts as it goes, all closed at its end. */
export function receiverPool() {
  const started: Receiver[] = [];
  return {
    receiver: async (port?: number) => { const r = await startReceiver(port); started.push(r); return r; },
    closeAll: async () => { for (const r of started) await r.close(); },
  };
}

/** A loopback port nothing listens on (bound, then released). */
export { freePort } from '../../tools/devstack/processes.ts';
/** Verifies a received webhook with the Standard Webhooks library, unchanged; answers the parsed body. */
export function verify(secret: string, r: Received): any {
  return new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
}

/** Creates an endpoint through the API and answers it with its secret. */
export async function createEndpoint(client: ApiClient, body: Record<string, unknown>): Promise<{ id: string; signing_secret: string; [k: string]: any }> {
  const res = await client.post('/webhooks', { name: 'Receiver', event_types: ['*'], ...body });
  if (res.status !== 201) throw new Error(`createWebhookEndpoint answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

export const deliveriesOf = (h: Harness, webhookId: string) =>
  h.sql<{ id: string; event_id: string | null; event_type: string; status: string; attempt_count: number; held_at: Date | null; next_attempt_at: Date | null; last_error: string | null }>(
    'select id, event_id, event_type, status, attempt_count, held_at, next_attempt_at, last_error from webhook_deliveries where webhook_id = ? order by id', [webhookId]);
