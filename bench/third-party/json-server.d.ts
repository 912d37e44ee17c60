/**
 * What bench/third-party/server.ts uses of json-server 0.17 (it ships no types): an express app,
 * its default middlewares and the router over a database object.
 */
declare module 'json-server' {
  import type { IncomingMessage, Server, ServerResponse } from 'node:http';

  export interface Request extends IncomingMessage {
    method: string;
    path: string;
    query: Record<string, unknown>;
  }
  export interface Response extends ServerResponse {
    json(body: unknown): void;
  }
  export type NextFunction = (error?: unknown) => void;
  export type Handler = (req: Request, res: Response, next: NextFunction) => void;

  export interface App {
    get(path: string, handler: (req: Request, res: Response) => void): void;
    use(handler: Handler | Handler[]): void;
    listen(port: number, host: string, ready: () => void): Server;
  }

  const jsonServer: {
    create(): App;
    defaults(options?: { logger?: boolean; noGzip?: boolean }): Handler[];
    router(db: Record<string, unknown>): Handler;
  };
  export default jsonServer;
}
