/**
 * The environment of every process loadgate starts (the service, a setup command, a seed
 * command): the workflow's environment without what the runner gives loadgate alone (pure).
 *
 * - `INPUT_*`: loadgate's own inputs, the runner's way of passing `with:` values to an action
 *   (`INPUT_AUTH-TOKEN`, `INPUT_GITHUB-TOKEN`, `INPUT_POSTGRES-URL` with its password…). A
 *   service that logs its environment (or crashes printing it) would publish them.
 * - `ACTIONS_RUNTIME_TOKEN`, `ACTIONS_RUNTIME_URL`, `ACTIONS_RESULTS_URL`, `ACTIONS_CACHE_URL`:
 *   the artifact and cache service's credentials, which the runner gives to actions and not to a
 *   workflow's `run:` steps. The code under test gets what a `run:` step would.
 */
const ACTION_ONLY = new Set([
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RUNTIME_URL',
  'ACTIONS_RESULTS_URL',
  'ACTIONS_CACHE_URL',
]);

/** Whether `name` is one of the variables a started process does not get. */
export function isLoadgateOnlyVariable(name: string): boolean {
  return name.toUpperCase().startsWith('INPUT_') || ACTION_ONLY.has(name);
}

/** `base` (process.env) without loadgate's own variables, then `extra` over it. */
export function childEnv(
  base: Record<string, string | undefined>,
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value !== undefined && !isLoadgateOnlyVariable(name)) env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}
