// A TCP pass-through proxy that can stop forwarding what clients send: after `hold()`, bytes from
// clients (on open connections and new ones) are kept instead of sent upstream, so a process
// talking gRPC through it is stuck in its next call. A crash test puts it between the API and
// Temporal to kill the API after its commit and before its StartWorkflowExecution arrives.
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpHoldProxy {
  /** host:port to dial instead of the target. */
  address: string;
  /** From now on, keep what clients send. */
  hold: () => void;
  /** Resolves once a client sent something while held. */
  held: Promise<void>;
  /** Bytes kept so far. */
  heldBytes: () => number;
  close: () => Promise<void>;
}

export async function tcpHoldProxy(target: string): Promise<TcpHoldProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  let holding = false;
  let kept = 0;
  let arrived!: () => void;
  const held = new Promise<void>((ok) => { arrived = ok; });
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host, port });
    sockets.add(client).add(upstream);
    client.on('data', (chunk: Buffer) => {
      if (!holding) { upstream.write(chunk); return; }
      kept += chunk.length;
      arrived();
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    hold: () => { holding = true; },
    held,
    heldBytes: () => kept,
    close: async () => { for (const s of sockets) s.destroy(); await new Promise((ok) => server.close(ok)); },
  };
}
