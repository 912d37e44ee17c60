/**
 * Starting a service with the same memory layout on every start. Linux places a process's stack,
 * heap, libraries and mappings at random addresses each time (ASLR), and where code and data land
 * changes cache, TLB and branch-predictor behaviour by a few percent for the life of the process
 * (Mytkowicz et al. 2009, "Producing wrong data without doing anything obviously wrong!"). Two
 * processes of the same code then differ for a whole A/B run, which a paired test over that
 * run's pairs cannot tell from a change of the code. `setarch -R` (util-linux) turns the
 * randomisation off for the command and everything it starts: the same code gets the same layout.
 *
 * Only for the services loadgate starts, on a machine of the test; not a security setting.
 */
import { linuxToolWorks } from './linux-tool.js';

/** The command prefix that starts a process tree without address randomisation. */
export const FIXED_LAYOUT_PREFIX = ['setarch', '-R'] as const;

let works: boolean | undefined;

/**
 * Whether `setarch -R` can start a program here: Linux with util-linux, and a personality(2)
 * call the sandbox allows (some container profiles refuse it).
 */
export function fixedLayoutWorks(): boolean {
  const [file, ...args] = FIXED_LAYOUT_PREFIX;
  works ??= linuxToolWorks(file, [...args, 'true']);
  return works;
}
