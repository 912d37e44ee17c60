/** Problems met while sampling, one per source (the first), for the report. */
export class MonitorWarnings {
  readonly list: string[] = [];
  private readonly warned = new Set<string>();

  add(source: string, text: string): void {
    if (this.warned.has(source)) return;
    this.warned.add(source);
    this.list.push(text);
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Strip the password from a connection URL before it goes into a warning. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How long one sampling query may take before that sample goes without it. */
export const QUERY_TIMEOUT_MS = 2000;
