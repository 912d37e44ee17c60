// A service for the secret-leak fault tests (__tests__/integration/faults/secrets-*.test.ts).
// Listens on PORT; GET /health answers 200; POST /fail/... answers 500 with a body that echoes
// the request's path and Authorization header after 190 characters (so a cut at 200 characters
// goes through the token); anything else answers 200 {"id": ...}.
// PRINT_ENV=1: prints its environment (and a line that looks like a workflow command) at start.
// CRASH_AFTER_MS=n: n ms after it listens, prints its environment and exits 1.
// PRINT_ENV_MATCH=regex: print only the variables whose names match (a log tail keeps 50 lines).
import { createServer } from 'node:http';

const only = new RegExp(process.env.PRINT_ENV_MATCH ?? '');
const printEnv = () => {
  for (const [name, value] of Object.entries(process.env)) {
    if (only.test(name)) console.log(`${name}=${value}`);
  }
  console.log('::warning::a line from the service that looks like a workflow command');
};

if (process.env.PRINT_ENV === '1') printEnv();
let next = 0;
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    if (req.url?.startsWith('/fail/')) {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        `${'x'.repeat(190)}${req.headers.authorization ?? ''} ${req.method} ${req.url} ${body}`,
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `id-${next++}`, ok: true }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  const crashAfter = Number(process.env.CRASH_AFTER_MS ?? 0);
  if (crashAfter > 0) {
    setTimeout(() => {
      printEnv();
      console.error(`crashing; ECHO_VALUE was ${process.env.ECHO_VALUE ?? ''}`);
      process.exit(1);
    }, crashAfter);
  }
});
