// A pass-through proxy in front of S3 (the Host header forwarded, so signatures hold) that paces
// object bodies: reads (GET answers) and/or uploads (request bodies), and can hold the requests a
// predicate picks until released. Crash tests point their own workers at it so a kill lands while
// an activity still streams bytes, or waits on one S3 call, without gigabytes of I/O.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface PacingProxy {
  url: string;
  /** Resolves once a request `hold` picked has arrived (and waits, unanswered). */
  held: Promise<void>;
  /** Forwards the held requests (to S3 as sent, whether or not their client still waits) and holds no more. */
  release: () => void;
  /** How many requests `hold` picked. */
  picked: () => number;
  close: () => Promise<void>;
}

export interface ProxyOptions {
  readBytesPerSecond?: number;
  uploadBytesPerSecond?: number;
  /** Requests to hold until `release()` (e.g. `(req) => req.method === 'POST' && req.url!.includes('?delete')`). */
  hold?: (req: IncomingMessage) => boolean;
}

const pace = (bytesPerSecond: number) => new Transform({
  transform(chunk: Buffer, _enc, done) { setTimeout(() => done(null, chunk), (chunk.length / bytesPerSecond) * 1000); },
});

export async function s3PacingProxy(target: string, rates: ProxyOptions): Promise<PacingProxy> {
  const { hostname, port } = new URL(target);
  let picked = 0;
  let holding = true;
  let arrived!: () => void;
  let release!: () => void;
  const held = new Promise<void>((ok) => { arrived = ok; });
  const released = new Promise<void>((ok) => { release = () => { holding = false; ok(); }; });
  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer | null) => {
    const upstream = request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (req.method === 'GET' && rates.readBytesPerSecond) pipeline(answer, pace(rates.readBytesPerSecond), res).catch(() => res.destroy());
      else answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (body) upstream.end(body);
    else if (rates.uploadBytesPerSecond) pipeline(req, pace(rates.uploadBytesPerSecond), upstream).catch(() => upstream.destroy());
    else req.pipe(upstream);
  };
  const server: Server = createServer((req, res) => {
    if (!rates.hold?.(req)) return forward(req, res, null);
    picked += 1;
    // The whole request is read first: it reaches S3 complete even if its client died meanwhile.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (holding) arrived();
      void released.then(() => forward(req, res, Buffer.concat(chunks)));
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held, release, picked: () => picked,
    close: async () => { release(); server.closeAllConnections(); await new Promise((ok) => server.close(ok)); },
  };
}
