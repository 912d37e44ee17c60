/**
 * A proxy in front of the fake GitHub (github-server.ts) for a route the fake does not have:
 * `answer` replies to the requests it knows (a status and a JSON body) and everything else is
 * forwarded to the fake unchanged (redirects to the fake's blob URLs are followed by the client
 * directly). Point `GITHUB_API_URL` at `proxy.url`.
 */
import { createServer, request } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyAnswer {
  status: number;
  body: unknown;
}

export interface GitHubProxy {
  url: string;
  close(): Promise<void>;
}

export async function startGitHubProxy(
  target: string,
  answer: (method: string | undefined, path: string) => ProxyAnswer | undefined,
): Promise<GitHubProxy> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const answered = answer(req.method, req.url ?? '');
    if (answered) {
      res.writeHead(answered.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answered.body));
      return;
    }
    const url = new URL(req.url ?? '/', target);
    const upstream = request(
      url,
      { method: req.method, headers: { ...req.headers, host: url.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      res.writeHead(502);
      res.end(String(e));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
