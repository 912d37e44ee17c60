import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changelogSection, changelogVersions } from '../../../scripts/changelog.js';

const ROOT = join(import.meta.dirname, '../../..');

const SAMPLE = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '## [1.1.0] - 2027-01-05',
  '',
  '### Added',
  '',
  '- a flag',
  '',
  '## [1.0.0] - 2026-12-08',
  '',
  '- first',
  '',
  '## [0.9.0]',
  '',
  '- undated',
  '',
  '[1.1.0]: https://example.invalid/v1.1.0',
  '',
].join('\n');

describe('changelogSection', () => {
  it('is the body of the version’s section, up to the next heading or the link references', () => {
    expect(changelogSection(SAMPLE, '1.1.0')).toBe('### Added\n\n- a flag');
    expect(changelogSection(SAMPLE, '1.0.0')).toBe('- first');
  });

  it('refuses a missing, undated or empty section', () => {
    expect(() => changelogSection(SAMPLE, '2.0.0')).toThrow('no "## [2.0.0] - YYYY-MM-DD" section');
    expect(() => changelogSection(SAMPLE, '0.9.0')).toThrow('needs its release date');
    expect(() =>
      changelogSection('## [3.0.0] - 2027-02-01\n\n## [2.0.0] - 2027-01-01\n- x\n', '3.0.0'),
    ).toThrow('is empty');
  });
});

describe('CHANGELOG.md', () => {
  const text = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

  it('keeps an Unreleased section first and dated versions newest first', () => {
    const versions = changelogVersions(text);
    expect(versions[0]).toEqual({ version: 'Unreleased', date: undefined });
    const dates = versions.slice(1).map((v) => v.date ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it('has release notes for package.json’s version (the tag the release workflow accepts)', () => {
    expect(changelogSection(text, pkg.version)).toContain('###');
  });
});
