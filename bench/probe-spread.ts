/**
 * How much does the machine probe (src/run/probe.ts) vary on one machine? 25 readings, 0.7 s
 * apart, each in new worker threads as a run takes them; printed as cpuMs/memoryMs. The figures
 * behind judging only the CPU probe against a single baseline run (judge/machine.ts). Run it
 * alone on the machine.
 *
 *   npx tsx bench/probe-spread.ts [--readings 25]
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { probeOnce } from '../src/run/probe.js';
import { option } from './lib.js';

const readings = Number(option('readings', '25'));
const cpu: number[] = [];
const memory: number[] = [];
for (let i = 0; i < readings; i++) {
  const s = await probeOnce();
  cpu.push(s.cpuMs);
  memory.push(s.memoryMs);
  await sleep(700);
}
const range = (v: number[]) =>
  `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)} ms (max/min ${(Math.max(...v) / Math.min(...v)).toFixed(2)})`;
console.log(cpu.map((c, i) => `${c.toFixed(0)}/${memory[i]?.toFixed(0)}`).join(' '));
console.log(`CPU probe ${range(cpu)}; memory probe ${range(memory)}`);
