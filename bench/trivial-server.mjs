// A trivial HTTP server for the benchmarks: the cheapest possible answer, so what is measured is
// the load generator. Prints "listening <port>" when ready.
import http from 'node:http';

const body = JSON.stringify({ ok: true });
// DELAY_MS: answer after a fixed delay, so latency is known and both tools stay under capacity.
const delayMs = Number(process.env.DELAY_MS ?? 0);
const answer = (res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'server-timing': 'db;dur=0.1' });
  res.end(body);
};
const server = http.createServer((req, res) => {
  if (delayMs > 0) setTimeout(answer, delayMs, res);
  else answer(res);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT'])
  process.on(signal, () => server.close(() => process.exit(0)));
