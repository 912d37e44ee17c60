/** vitest globalSetup: the CLI and the example service bundled once for every test that starts them. */
import { bundleForRuns } from '../../scripts/bundle-for-runs.js';

export default async function setup(): Promise<void> {
  await bundleForRuns();
}
