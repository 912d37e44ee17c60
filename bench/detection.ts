/**
 * Detection quality of the gate on this machine, on the example service with the default PR
 * profile: false alarms when nothing changed, detection when one operation got slower.
 *
 *   npx tsx bench/detection.ts --mode ab      [options]   base and head side by side (A/B)
 *   npx tsx bench/detection.ts --mode stored  [options]   a run against a stored baseline run
 *   npx tsx bench/detection.ts --mode history [options]   a run against main's history, a CPU hog
 *                                                         beside some runs
 *
 * Run it alone on the machine: a neighbour shows up as a regression. See each mode's file
 * (bench/detection-ab.ts, bench/detection-stored.ts, bench/detection-history.ts) for its options.
 */
const i = process.argv.indexOf('--mode');
const mode = i >= 0 ? process.argv[i + 1] : 'stored';
if (mode === 'ab') await import('./detection-ab.js');
else if (mode === 'stored') await import('./detection-stored.js');
else if (mode === 'history') await import('./detection-history.js');
else {
  console.error(`--mode: expected "ab", "stored" or "history", got "${mode}"`);
  process.exit(2);
}
