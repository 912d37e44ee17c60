/**
 * Detection quality of the gate on this machine: false alarms when nothing changed, detection
 * when one operation got slower.
 *
 *   npx tsx bench/detection.ts --mode ab      [options]   base and head side by side (A/B) at the
 *                                                         defaults (a budget, rounds until
 *                                                         decided), across services and fault
 *                                                         shapes: bench/detection-budget.ts
 *   npx tsx bench/detection.ts --mode ab --rounds N [options]   the earlier fixed-rounds A/B
 *                                                         design, CPU faults on the Node example
 *   npx tsx bench/detection.ts --mode stored  [options]   a run against a stored baseline run
 *   npx tsx bench/detection.ts --mode history [options]   a run against main's history, a CPU hog
 *                                                         beside some runs
 *
 * Run it alone on the machine: a neighbour shows up as a regression. See each mode's file
 * (bench/detection-budget.ts, bench/detection-ab.ts, bench/detection-stored.ts,
 * bench/detection-history.ts) for its options.
 */
const i = process.argv.indexOf('--mode');
const mode = i >= 0 ? process.argv[i + 1] : 'stored';
if (mode === 'ab' && process.argv.includes('--rounds')) await import('./detection-ab.js');
else if (mode === 'ab') await import('./detection-budget.js');
else if (mode === 'stored') await import('./detection-stored.js');
else if (mode === 'history') await import('./detection-history.js');
else {
  console.error(`--mode: expected "ab", "stored" or "history", got "${mode}"`);
  process.exit(2);
}
