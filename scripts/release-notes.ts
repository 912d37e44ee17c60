// Prints the CHANGELOG.md section of a version (`tsx scripts/release-notes.ts 1.2.3`), the notes
// of its GitHub release; exits 1 with the reason when the section is missing, undated or empty.
import { readFileSync } from 'node:fs';
import { changelogSection, ChangelogError } from './changelog.js';

const version = (process.argv[2] ?? '').replace(/^v/, '');
if (!/^\d+\.\d+\.\d+$/.test(version)) {
  process.stderr.write(`usage: release-notes.ts <x.y.z>, got "${process.argv[2] ?? ''}"\n`);
  process.exit(2);
}
try {
  const text = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8');
  process.stdout.write(`${changelogSection(text, version)}\n`);
} catch (error) {
  if (!(error instanceof ChangelogError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
