/** A config, input or usage problem the user must fix: the CLI exits 2 on it. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
