/** Where a command prints: stdout, stderr, and on a terminal a status line (cli/main.ts). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /**
   * On a terminal: the one line under the others that progress keeps rewriting ('' clears it).
   * Absent elsewhere: progress is printed as plain lines (commands/progress.ts).
   */
  status?(line: string): void;
}
