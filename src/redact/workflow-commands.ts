/**
 * Text from the service or the config printed inside a GitHub Actions step: a line of it that
 * starts with `::` (or the older `##[`) would be read by the runner as a workflow command
 * (`::add-mask::`, `::set-output`, `::error::`, `::stop-commands::`…), even indented (the runner
 * trims the line first). Such text is wrapped in `::stop-commands::<token>` … `::<token>::`: the
 * runner reads nothing between them as a command and prints the text as it is (pure).
 */
import { randomBytes } from 'node:crypto';

/** Whether a line of `text` would be read as a workflow command. */
export function hasWorkflowCommand(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((line) => {
    const trimmed = line.trimStart();
    return trimmed.startsWith('::') || trimmed.startsWith('##[');
  });
}

/**
 * `text` itself when no line of it looks like a command; otherwise `text` between a
 * stop-commands line and its end line, with a token the text cannot know (random per call).
 */
export function guardWorkflowCommands(
  text: string,
  token: string = randomBytes(16).toString('hex'),
): string {
  if (!hasWorkflowCommand(text)) return text;
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}
