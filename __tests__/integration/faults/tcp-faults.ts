/**
 * TCP stand-ins for backing services that stop answering, the lowest level that shows a hang:
 *
 * - `silentServer()` accepts connections and never answers anything, nor closes its side (a
 *   Redis or Postgres that is stopped, swapped out or wedged looks exactly like this to a client);
 * - `freezableProxy(port)` forwards to a real server until `freeze()`, then forwards nothing
 *   more in either direction and keeps every connection open.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpFault {
  port: number;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

export async function silentServer(): Promise<TcpFault> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined); // read and ignore
  });
  const port = await listen(server);
  return { port, connections: () => accepted, close: closer(server, sockets) };
}

export async function freezableProxy(upstreamPort: number): Promise<TcpFault & { freeze(): void }> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let frozen = false;
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    accepted++;
    const upstream = net.connect({ port: upstreamPort, host: '127.0.0.1', allowHalfOpen: true });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
    }
    client.on('data', (d: Buffer) => {
      if (!frozen) upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (!frozen) client.write(d);
    });
    client.on('end', () => {
      if (!frozen) upstream.end();
    });
    upstream.on('end', () => {
      if (!frozen) client.end();
    });
  });
  const port = await listen(server);
  return {
    port,
    connections: () => accepted,
    freeze: () => {
      frozen = true;
    },
    close: closer(server, sockets),
  };
}
