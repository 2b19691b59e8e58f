import { execFile } from 'node:child_process';
import { paths } from './paths.js';

/** Outcome of one `parley` CLI invocation. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** An API key created through `parley keys create`. */
export interface CreatedKey {
  key: string;
  secret: string;
}

/**
 * Runs `node packages/server/bin/parley.js <args>` against `dataDir` (PARLEY_DATA_DIR), the
 * same database the running server uses. Never throws for a non-zero exit: inspect `code`.
 */
export function runCli(dataDir: string, args: string[]): Promise<CliResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [paths.cliBin, ...args],
      { cwd: paths.repoRoot, env: { ...process.env, PARLEY_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, timeout: 20_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolveRun({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

function expectSuccess(result: CliResult, args: string[]): string {
  if (result.code !== 0) {
    throw new Error(`parley ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Reads a key and its secret from the output of `keys create`. Accepts a JSON object with
 * `key`/`apiKey` and `secret` fields, or text lines such as `key: X` / `secret: Y`.
 */
export function parseCreatedKey(stdout: string): CreatedKey {
  const trimmed = stdout.trim();
  try {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    const key = json.key ?? json.apiKey;
    const secret = json.secret;
    if (typeof key === 'string' && typeof secret === 'string') return { key, secret };
  } catch {
    /* not JSON: read the text form */
  }
  const key = /\b(?:api\s*key|key)\b\s*[:=]\s*(\S+)/i.exec(trimmed)?.[1];
  const secret = /\bsecret\b\s*[:=]\s*(\S+)/i.exec(trimmed)?.[1];
  if (!key || !secret) throw new Error(`cannot read key and secret from \`keys create\` output:\n${stdout}`);
  return { key, secret };
}

/** `parley keys create [--label L] [--origins a,b] [--no-anonymous]` */
export async function createKey(dataDir: string, options: { label?: string; origins?: string[]; anonymous?: boolean } = {}): Promise<CreatedKey> {
  const args = ['keys', 'create'];
  if (options.label) args.push('--label', options.label);
  if (options.origins) args.push('--origins', options.origins.join(','));
  if (options.anonymous === false) args.push('--no-anonymous');
  return parseCreatedKey(expectSuccess(await runCli(dataDir, args), args));
}

/** `parley keys disable KEY` */
export async function disableKey(dataDir: string, key: string): Promise<void> {
  const args = ['keys', 'disable', key];
  expectSuccess(await runCli(dataDir, args), args);
}

/** `parley token --key K --user U --ttl S`: returns the JWT it prints. */
export async function mintToken(dataDir: string, options: { key: string; user: string; ttlSeconds?: number }): Promise<string> {
  const args = ['token', '--key', options.key, '--user', options.user, '--ttl', String(options.ttlSeconds ?? 3600)];
  const stdout = expectSuccess(await runCli(dataDir, args), args);
  const jwt = /[\w-]+\.[\w-]+\.[\w-]+/.exec(stdout)?.[0];
  if (!jwt) throw new Error(`no JWT in \`parley ${args.join(' ')}\` output:\n${stdout}`);
  return jwt;
}
