// The published declarations of the RunResult document (`import type { RunResult } from
// 'loadgate/result'`), generated from src/result/types.ts by the TypeScript checker. The types
// there follow from zod schemas, and zod is bundled, not a dependency of the package, so the
// declarations must not name it: each exported type is printed structurally (what `z.infer`
// resolves to), then every object type that has a name of its own is replaced by that name
// wherever it occurs inside another, so the file reads as a set of named types.
import ts from 'typescript';

const SOURCE = 'src/result/types.ts';
/** Object types shorter than this stay inline (a name would say no more than the fields). */
const MIN_NAMED_LENGTH = 40;

interface Printed {
  name: string;
  text: string;
  kind: 'type' | 'interface';
}

function printExports(root: string): Printed[] {
  const program = ts.createProgram([`${root}/${SOURCE}`], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(`${root}/${SOURCE}`);
  const module = source && checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`${SOURCE}: not found`);
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias;
  const out: Printed[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    // Values (constants, functions) live in the bundle only: the package exports types.
    if (!(symbol.flags & (ts.SymbolFlags.TypeAlias | ts.SymbolFlags.Interface))) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    if (symbol.flags & ts.SymbolFlags.Interface) {
      const members = checker.getPropertiesOfType(type).map((property) => {
        const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
        const readonly =
          ts.getCombinedModifierFlags(property.valueDeclaration as ts.Declaration) &
          ts.ModifierFlags.Readonly
            ? 'readonly '
            : '';
        const text = checker.typeToString(checker.getTypeOfSymbol(property), undefined, flags);
        return `${readonly}${property.name}${optional}: ${text};`;
      });
      out.push({ name: exported.name, text: `{ ${members.join(' ')} }`, kind: 'interface' });
    } else {
      out.push({
        name: exported.name,
        text: checker.typeToString(type, undefined, flags),
        kind: 'type',
      });
    }
  }
  return out;
}

/** Each named object type's text replaced by its name inside the others (largest first). */
function nameNested(types: Printed[]): Printed[] {
  const named = types
    .filter((t) => t.kind === 'type' && t.text.startsWith('{') && t.text.length >= MIN_NAMED_LENGTH)
    .sort((a, b) => b.text.length - a.text.length);
  return types.map((type) => {
    let text = type.text;
    for (const other of named) {
      if (other.name === type.name || other.text.length >= type.text.length) continue;
      // Structurally equal types share the first name found: TypeScript types are structural.
      text = text.split(other.text).join(other.name);
    }
    return { ...type, text };
  });
}

export function resultDeclarations(root: string, version: string): string {
  const types = nameNested(printExports(root));
  if (!types.some((t) => t.name === 'RunResult')) throw new Error(`${SOURCE}: no RunResult`);
  const body = types.map((t) =>
    t.kind === 'interface'
      ? `export interface ${t.name} ${t.text}`
      : `export type ${t.name} = ${t.text};`,
  );
  return [
    `// loadgate ${version}: the types of the result document (loadgate run --out, the action's`,
    '// results-path), generated from the schema the CLI validates it with. Types only.',
    ...body,
    '',
  ].join('\n');
}
