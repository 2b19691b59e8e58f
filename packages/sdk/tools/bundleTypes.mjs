// Writes dist/parley.d.ts: every declaration of the public API in one self-contained file, so the
// published package imports nothing (no private @parley/protocol, no zod).
//
// Step 1: dts-bundle-generator follows the imports from src/index.ts and inlines what the public
//         classes reach, @parley/protocol included (its built declarations).
// Step 2: protocol types are zod inferences (`type X = z.infer<typeof X>`, with `declare const X:
//         z.ZodObject<…>` beside). The TypeScript checker expands each into the plain structural
//         type it denotes; the schema declarations are dropped. Generic lookups into a schema
//         table (`z.infer<(typeof Table)[T]>`) become an interface with one expanded member per key.
// Step 3: the result must type-check on its own (a program with this one file, no node_modules).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const FORMAT = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.InTypeAlias | ts.TypeFormatFlags.UseSingleQuotesForStringLiteralType;

/** A one-file program over `text` as `fileName`; other files are read from disk as usual. */
function programFor(fileName, text, options) {
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, lang, ...rest) => (name === fileName ? ts.createSourceFile(name, text, lang, true) : getSourceFile(name, lang, ...rest));
  host.fileExists = (name) => name === fileName || fileExists(name);
  host.readFile = (name) => (name === fileName ? text : readFile(name));
  return ts.createProgram([fileName], options, host);
}

const checkOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: false,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: [],
};

const mentionsZod = (node, sf) => /\bz\./.test(node.getText(sf));

/** Replaces zod-inferred declarations of `text` by their expansion; `zodDir` is a folder that resolves 'zod'. */
function flattenZod(text, zodDir) {
  const header = "import { z } from 'zod';\n";
  const fileName = join(zodDir, '__parley-bundle.d.ts');
  let source = header + text;
  // Generic lookups into schema tables: add one probe alias per table key, expanded below.
  const tables = new Map(); // table name → keys
  {
    const program = programFor(fileName, source, checkOptions);
    const sf = program.getSourceFile(fileName);
    const checker = program.getTypeChecker();
    for (const st of sf.statements) {
      if (!ts.isTypeAliasDeclaration(st) || !st.typeParameters) continue;
      for (const m of st.type.getText(sf).matchAll(/z\.infer<\(typeof (\w+)\)\[\w+\]>/g)) {
        const table = m[1];
        const decl = sf.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(sf) === table);
        if (!decl) throw new Error(`bundleTypes: no declaration for schema table ${table}`);
        const keys = checker
          .getTypeAtLocation(decl.declarationList.declarations[0].name)
          .getProperties()
          .map((p) => p.name);
        tables.set(table, keys);
      }
    }
  }
  const probe = (table, key) => `__Probe_${table}_${key.replace(/\W/g, '_')}`;
  for (const [table, keys] of tables) {
    source += keys.map((k) => `type ${probe(table, k)} = z.infer<(typeof ${table})[${JSON.stringify(k)}]>;\n`).join('');
  }

  const program = programFor(fileName, source, checkOptions);
  const sf = program.getSourceFile(fileName);
  const checker = program.getTypeChecker();
  const edits = []; // [start, end, replacement]
  const expand = (name) => checker.typeToString(checker.getTypeAtLocation(name), undefined, FORMAT);
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st) && mentionsZod(st, sf)) {
      edits.push([st.getFullStart(), st.getEnd(), '']);
    } else if (ts.isTypeAliasDeclaration(st) && mentionsZod(st, sf)) {
      const body = st.typeParameters
        ? st.type.getText(sf).replace(/z\.infer<\(typeof (\w+)\)\[(\w+)\]>/g, (_, table, param) => `${table}Flat[${param}]`)
        : expand(st.name);
      if (/\bz\./.test(body)) throw new Error(`bundleTypes: cannot flatten ${st.name.text}`);
      edits.push([st.type.getStart(sf), st.type.getEnd(), body]);
    } else if (ts.isImportDeclaration(st)) {
      edits.push([st.getFullStart(), st.getEnd(), '']);
    }
  }
  let out = source;
  for (const [start, end, replacement] of edits.sort((a, b) => b[0] - a[0])) out = out.slice(0, start) + replacement + out.slice(end);
  // The probes become one interface per table, named `<Table>Flat`.
  const probeStart = out.indexOf('type __Probe_');
  if (probeStart >= 0) out = out.slice(0, probeStart);
  for (const [table, keys] of tables) {
    const members = keys.map((k) => {
      const alias = sf.statements.find((s) => ts.isTypeAliasDeclaration(s) && s.name.text === probe(table, k));
      return `\t${JSON.stringify(k)}: ${expand(alias.name)};`;
    });
    out += `/** Result of each request type (flattened from the protocol's schema table). */\ninterface ${table}Flat {\n${members.join('\n')}\n}\n`;
  }
  return out.trimStart();
}

/** Type-checks `text` alone: no import may remain, every name must be declared in the file. */
function checkAlone(text, fileName) {
  const program = programFor(fileName, text, { ...checkOptions, noResolve: true });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file?.fileName === fileName || !d.file);
  if (diagnostics.length > 0) {
    const shown = ts.formatDiagnostics(diagnostics.slice(0, 10), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => '', getNewLine: () => '\n' });
    throw new Error(`bundleTypes: ${fileName} does not type-check alone (${diagnostics.length} errors):\n${shown}`);
  }
  if (/^\s*import\b|\bfrom\s+['"]/m.test(text)) throw new Error(`bundleTypes: ${fileName} still imports a module`);
}

/** Builds `outFile` from the SDK folder `sdkDir` (its tsconfig.dts.json, src/index.ts). */
export function bundleTypes(sdkDir, outFile) {
  const raw = `${outFile}.raw`;
  const generator = join(sdkDir, '../../node_modules/dts-bundle-generator/dist/bin/dts-bundle-generator.js');
  execFileSync(
    process.execPath,
    [
      generator,
      '--silent',
      '--no-check',
      '--no-banner',
      '--export-referenced-types=false',
      '--project',
      join(sdkDir, 'tsconfig.dts.json'),
      '-o',
      raw,
      join(sdkDir, 'src/index.ts'),
    ],
    { stdio: 'inherit', cwd: sdkDir },
  );
  const bundled = readFileSync(raw, 'utf8');
  rmSync(raw, { force: true });
  const flat = flattenZod(bundled, join(sdkDir, '../protocol'));
  const banner = `// Type definitions for parley-sdk (apiRTC 5.x compatible API). Generated by tools/bundleTypes.mjs.\n`;
  const text = banner + flat;
  checkAlone(text, outFile);
  writeFileSync(outFile, text);
}
