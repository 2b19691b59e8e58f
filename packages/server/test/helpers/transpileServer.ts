import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Transpiles the server sources (and the protocol package they import) to JavaScript in
 * `outDir`, laid out like `dist/`, so a test can run the CLI as a child process without
 * depending on a possibly stale `npm run build`. Uses the TypeScript compiler already in the
 * workspace (no bundler needed); `@parley/protocol` imports are pointed at the transpiled copy.
 *
 * `outDir` must sit directly in packages/server (e.g. `.test-build`) so that `../package.json`
 * (read for the version) and `node_modules` resolve as they do from `dist/`.
 * @returns the path of the transpiled `cli/cli.js`
 */
export async function transpileServer(serverRoot: string, outDir: string): Promise<string> {
  await rm(outDir, { recursive: true, force: true });
  const protocolSrc = join(serverRoot, '../protocol/src');
  const protocolOut = join(outDir, '_protocol');
  await emitTree(protocolSrc, protocolOut, () => '');
  await emitTree(join(serverRoot, 'src'), outDir, (fileOut) => {
    const target = relative(dirname(fileOut), join(protocolOut, 'index.js')).replaceAll('\\', '/');
    return target.startsWith('.') ? target : `./${target}`;
  });
  return join(outDir, 'cli', 'cli.js');
}

async function emitTree(srcDir: string, outDir: string, protocolPath: (fileOut: string) => string): Promise<void> {
  for (const entry of await readdir(srcDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name.endsWith('.d.ts')) continue;
    const file = join(entry.parentPath, entry.name);
    const out = join(outDir, relative(srcDir, file)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: true,
        isolatedModules: true,
      },
    });
    const replacement = protocolPath(out);
    const js =
      replacement === '' ? outputText : outputText.replaceAll(`'@parley/protocol'`, `'${replacement}'`).replaceAll(`"@parley/protocol"`, `"${replacement}"`);
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, js);
  }
}
