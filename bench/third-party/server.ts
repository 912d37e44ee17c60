/**
 * A real third-party HTTP app for the detection benchmark: json-server (express + lowdb, installed
 * from npm as a dev dependency), serving an in-memory collection of 2,000 articles seeded the same
 * way on every start, with its default middlewares (compression, CORS, static files, no-cache).
 *
 * Faults on the head only, through the app's own extension point (an express middleware before
 * the router): `THIRD_PARTY_FAULTS=busy-search:0.2ms,slow-get:0.1ms,alloc-create:64kb`, the same
 * three shapes as the example services' knobs (CPU spin, a wait that burns no CPU, short-lived
 * garbage), per operation: list, search, get, filter, create (what bench/third-party/loadgate.yml
 * asks for). Listens on PORT; GET /health answers 200 once it does.
 *
 * Bundled by the benchmark (bench/detection-budget.ts) into .loadgate/build/, so a restart between
 * rounds costs a bare `node` start.
 */
import jsonServer, { type NextFunction, type Request, type Response } from 'json-server';
import { churn } from '../../examples/admin-service/src/churn.js';
import { PreciseWaiter } from '../../examples/admin-service/src/precise-wait.js';
import { parseThirdPartyFaults, type ThirdPartyOp } from './faults.js';
import { seedArticles } from './seed.js';

/** Which of the benchmark's operations a request is (undefined: not one of them). */
function operationOf(req: Request): ThirdPartyOp | undefined {
  if (!req.path.startsWith('/articles')) return undefined;
  if (req.method === 'POST') return 'create';
  if (req.method !== 'GET') return undefined;
  if (/^\/articles\/[^/]+$/.test(req.path)) return 'get';
  if (typeof req.query.q === 'string') return 'search';
  return Object.keys(req.query).some((k) => !k.startsWith('_')) ? 'filter' : 'list';
}

function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy on purpose
  }
}

const faults = parseThirdPartyFaults(process.env.THIRD_PARTY_FAULTS);
// Always started, so both sides of a run have the same threads, whichever has the fault.
const waiter = new PreciseWaiter();

const app = jsonServer.create();
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.use(jsonServer.defaults({ logger: false }));
app.use((req: Request, _res: Response, next: NextFunction) => {
  const op = operationOf(req);
  if (op === undefined) return next();
  const kb = faults.allocKb[op];
  if (kb !== undefined) churn(kb);
  const busy = faults.busyMs[op];
  if (busy !== undefined) spin(busy);
  const slow = faults.slowMs[op];
  if (slow !== undefined) {
    waiter.wait(slow).then(() => next(), next);
    return;
  }
  next();
});
app.use(jsonServer.router({ articles: seedArticles(2000) }));

const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const address = server.address();
  console.log(`json-server listening ${typeof address === 'object' ? address?.port : address}`);
});
const stop = () => {
  server.close();
  void waiter.close();
  setTimeout(() => process.exit(0), 200).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
