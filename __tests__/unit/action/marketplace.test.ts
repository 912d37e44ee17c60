/**
 * What the GitHub Marketplace lists: a repository with one action, its metadata file at the
 * root, with a name, a short description and branding from the icons and colours GitHub accepts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '../../..');
const BRANDING = JSON.parse(
  readFileSync(join(ROOT, '__tests__/fixtures/marketplace-branding.json'), 'utf8'),
) as { icons: string[]; colors: string[] };

/** Every action metadata file in the repository (outside node_modules and .git). */
function actionFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...actionFiles(path));
    else if (/^action\.ya?ml$/.test(entry.name)) found.push(relative(ROOT, path));
  }
  return found;
}

describe('Marketplace metadata', () => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    author: string;
    branding: { icon: string; color: string };
    runs: { using: string; main: string };
  };

  it('the repository holds a single action, its metadata file at the root', () => {
    expect(actionFiles(ROOT)).toEqual(['action.yml']);
  });

  it('has a name, an author and a one-line description short enough to be listed whole', () => {
    expect(action.name).toMatch(/^\S.{0,40}$/);
    expect(action.author.trim()).not.toBe('');
    expect(action.description).not.toContain('\n');
    expect(action.description.length).toBeGreaterThan(20);
    expect(action.description.length).toBeLessThanOrEqual(125);
  });

  it('brands itself with an icon and a colour from the set GitHub accepts', () => {
    expect(BRANDING.icons).toContain(action.branding.icon);
    expect(BRANDING.colors).toContain(action.branding.color);
    expect(BRANDING.icons).not.toContain('message-square-x'); // the fixture is a real set
  });

  it('runs the committed bundle on the Node the README states', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('Node 24');
  });
});
