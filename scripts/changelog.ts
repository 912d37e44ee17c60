// The release notes of one version: its section of CHANGELOG.md (Keep a Changelog: `## [x.y.z] -
// YYYY-MM-DD` headings, newest first). Pure; scripts/release-notes.ts prints it for the release
// workflow, which fails when a tagged version has no section, an undated one, or an empty one.

export class ChangelogError extends Error {}

const HEADING_RE = /^## \[([^\]]+)\](?: - (\S+))?\s*$/;

/** Every `## [version] - date` heading, in file order (`Unreleased` has no date). */
export function changelogVersions(text: string): { version: string; date: string | undefined }[] {
  return text
    .split('\n')
    .map((line) => HEADING_RE.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: m[1] ?? '', date: m[2] }));
}

/** The body of `version`'s section (without its heading), trimmed; throws when it is not usable. */
export function changelogSection(text: string, version: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => HEADING_RE.exec(line)?.[1] === version);
  if (start < 0) {
    throw new ChangelogError(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section`);
  }
  const date = HEADING_RE.exec(lines[start] ?? '')?.[2];
  if (date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new ChangelogError(
      `CHANGELOG.md: the section of ${version} needs its release date ("## [${version}] - YYYY-MM-DD")`,
    );
  }
  const rest = lines.slice(start + 1);
  // The section ends at the next version's heading or at the link references.
  const end = rest.findIndex((line) => line.startsWith('## [') || /^\[[^\]]+\]: /.test(line));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  if (body === '') throw new ChangelogError(`CHANGELOG.md: the section of ${version} is empty`);
  return body;
}
