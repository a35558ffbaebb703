// A pass-through proxy in front of S3 (the Host header forwarded, so signatures hold) that paces
// object bodies: reads (GET answers) and/or uploads (request bodies). Crash tests point their own
// workers at it so a kill lands while an activity still streams bytes, without gigabytes of I/O.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface PacingProxy { url: string; close: () => Promise<void> }

const pace = (bytesPerSecond: number) => new Transform({
  transform(chunk: Buffer, _enc, done) { setTimeout(() => done(null, chunk), (chunk.length / bytesPerSecond) * 1000); },
});

export async function s3PacingProxy(target: string, rates: { readBytesPerSecond?: number; uploadBytesPerSecond?: number }): Promise<PacingProxy> {
  const { hostname, port } = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: hostname, port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (req.method === 'GET' && rates.readBytesPerSecond) pipeline(answer, pace(rates.readBytesPerSecond), res).catch(() => res.destroy());
      else answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    if (rates.uploadBytesPerSecond) pipeline(req, pace(rates.uploadBytesPerSecond), upstream).catch(() => upstream.destroy());
    else req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => { server.closeAllConnections(); await new Promise((ok) => server.close(ok)); },
  };
}
