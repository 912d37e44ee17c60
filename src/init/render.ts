/**
 * The `loadgate.yml` that `loadgate init` writes: the generated scenarios as commented YAML (the
 * yaml package's Document API carries the comments), checked against the config schema and the
 * plan's rules before anyone runs it. Pure.
 */
import { Document, parse as parseYaml, type YAMLMap, type YAMLSeq } from 'yaml';
import { parseConfig } from '../config/load-file.js';
import { buildPlan } from '../config/plan.js';
import type { GeneratedConfig } from './scenarios.js';

/** The file's text, and the scenario names (in the file's order). */
export function renderConfig(generated: GeneratedConfig): string {
  const doc = new Document(
    {
      preset: 'none',
      ...(Object.keys(generated.headers).length > 0
        ? { defaults: { headers: generated.headers } }
        : {}),
      scenarios: generated.scenarios.map((s) => s.scenario),
    },
    // Each scenario spelled out in full: anchors and aliases would save lines and cost readers.
    { aliasDuplicateObjects: false },
  );
  doc.commentBefore = header(generated);
  const top = doc.contents as YAMLMap;
  const preset = top.items[0];
  if (preset) {
    preset.value = doc.createNode('none');
    (preset.value as { comment?: string }).comment =
      ' only the scenarios below (`preset: admin` would add the built-in admin-API ones)';
  }
  const defaults = top.items.find((pair) => String(pair.key) === 'defaults');
  if (defaults) {
    (defaults.key as { commentBefore?: string }).commentBefore = [
      ' Every request (setup included) carries these; the secrets come from the environment',
      ' when loadgate runs ({{env.NAME}}), never from this file.',
    ].join('\n');
  }
  const scenarios = doc.get('scenarios') as YAMLSeq<YAMLMap>;
  scenarios.items.forEach((node, i) => {
    const generatedScenario = generated.scenarios[i];
    if (generatedScenario === undefined) return;
    node.commentBefore = ` ${generatedScenario.about}`;
    node.comment = ` ${generatedScenario.sla}   # a suggestion: set what your users need (an error rate ≤ 1 % is checked already)`;
  });
  return doc.toString({ lineWidth: 100 });
}

function header(generated: GeneratedConfig): string {
  const lines = [
    ` loadgate.yml for ${generated.title}, written by loadgate init.`,
    ' Each scenario runs on its own: a warm-up, then trials of steady load (8 of 2 s, or pairs',
    ' of 1 s with baseline: base-commit). Remove what you do not want gated; the fields are',
    " described in loadgate's schema/loadgate.schema.json and docs/configuration.md.",
  ];
  if (generated.env.length > 0) {
    lines.push('', ' Set before running:');
    for (const env of generated.env) lines.push(`   ${env.name}: ${env.what}`);
  }
  if (generated.notes.length > 0) {
    lines.push('', ' Not generated:');
    for (const note of generated.notes) lines.push(`   ${note}`);
  }
  return lines.join('\n');
}

/**
 * The written text read back as loadgate will read it: valid for the schema, and a plan it can
 * build (every pool a request reads is filled). Throws the config error that names the field.
 */
export function checkRendered(text: string, source: string): string[] {
  const config = parseConfig(parseYaml(text), source);
  return buildPlan(config, source).scenarios.map((s) => s.name);
}
