/** What an error says, for a warning, a note or a partial result's reason. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Its first line, bounded: where one line of text is all there is room for. */
export function errorLine(error: unknown): string {
  return (errorMessage(error).split('\n')[0] ?? '').slice(0, 300);
}
