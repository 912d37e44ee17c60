/**
 * Objects indexed by names loadgate does not choose: scenarios, endpoints, headers and body keys
 * come from a scenarios file a pull request may write, or from a stored file. A plain `{}`
 * answers `constructor`, `toString` or `valueOf` from its prototype (a scenario so named looked
 * present before it was added) and takes a `__proto__` key as its prototype. Pure.
 */

/** An empty object for names: no prototype, so every name is only ever its own key. */
export function byName<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** `record[name]` when it is the record's own key; undefined otherwise (never the prototype's). */
export function own<T>(
  record: Readonly<Record<string, T>> | undefined,
  name: string,
): T | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}
