/**
 * CPU µs one call of the Node allocation knob (examples/admin-service/src/churn.ts) costs at each
 * KB size given on the command line, GC included (process CPU: the main thread and V8's helper
 * threads): `node --import tsx bench/budget/alloc-cost.ts 16 64 256` prints one JSON line,
 * [[kb, µs], …]. Run in a process of its own, so the heap is the knob's alone.
 */
import { churn } from '../../examples/admin-service/src/churn.js';

const out: [number, number][] = [];
for (const kb of process.argv.slice(2).map(Number)) {
  for (let i = 0; i < 50; i++) churn(kb); // compiled and the young generation sized first
  let calls = 0;
  const start = process.cpuUsage();
  let used = 0;
  // At least 0.3 s of CPU per size, so scavenges are counted in proportion.
  while (used < 300_000) {
    churn(kb);
    calls++;
    const d = process.cpuUsage(start);
    used = d.user + d.system;
  }
  out.push([kb, used / calls]);
}
console.log(JSON.stringify(out));
