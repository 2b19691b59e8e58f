// Tables for the console and bench/RESULTS.md, and the appender that writes one dated section
// per benchmark run.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './machine.mjs';

export const resultsFile = join(benchDir, 'RESULTS.md');

/** Number with thousands separators and `digits` decimals; '—' for NaN/undefined. */
export function fmt(n, digits = 0) {
  if (n === undefined || n === null || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Bytes as KiB/MiB with one decimal. */
export function fmtBytes(n) {
  if (!Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 2 ** 20) return `${fmt(n / 2 ** 20, 1)} MiB`;
  if (abs >= 1024) return `${fmt(n / 1024, 1)} KiB`;
  return `${fmt(n)} B`;
}

/** Ratio with two significant decimals ("0.42×"). */
export function fmtRatio(r) {
  return Number.isFinite(r) ? `${r >= 10 ? fmt(r, 1) : fmt(r, 2)}×` : '—';
}

/** A table: {title?, columns: string[], rows: string[][]} → aligned plain text. */
export function textTable({ title, columns, rows }) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i] ?? '').length)));
  const line = (cells) =>
    cells
      .map((c, i) => String(c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [title ? `${title}` : null, line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].filter((l) => l !== null).join('\n');
}

/** The same table as Markdown. */
export function markdownTable({ title, columns, rows }) {
  const esc = (c) => String(c ?? '').replaceAll('|', '\\|');
  return [
    title ? `**${title}**\n` : null,
    `| ${columns.map(esc).join(' | ')} |`,
    `|${columns.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ]
    .filter((l) => l !== null)
    .join('\n');
}

/** The command line as the user typed it (npm run bench -- … when run through npm). */
export function commandLine(args) {
  const viaNpm = process.env.npm_lifecycle_event === 'bench';
  const tail = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
  if (viaNpm) return `npm run bench${tail ? ` -- ${tail}` : ''}`;
  return `node bench/run.mjs${tail ? ` ${tail}` : ''}`;
}

/**
 * Appends one section to bench/RESULTS.md:
 * date, command, machine, versions, notes, tables, headline.
 */
export function appendResults({ name, command, machine, loadAtEnd, startedAt, durationMs, result, notes = [] }) {
  if (!existsSync(resultsFile)) {
    writeFileSync(
      resultsFile,
      '# Benchmark results\n\n' +
        'Appended by `npm run bench` (see [README.md](README.md)); newest last. Every figure compares Parley with a\n' +
        'reference measured in the same run; read the ratios, not the absolute numbers, across runs and machines.\n',
    );
  }
  const m = machine;
  const stamp = startedAt
    .toISOString()
    .replace('T', ' ')
    .replace(/:\d\d\.\d+Z$/, ' UTC');
  const versions = [
    `Node ${m.node}`,
    `Parley ${m.parley} at \`${m.commit}\`${m.dirty ? ' (with uncommitted changes)' : ''}`,
    ...Object.entries(result.versions ?? {}).map(([k, v]) => `${k} ${v}`),
  ];
  const lines = [
    '',
    `## ${stamp} · ${name}`,
    '',
    `- Command: \`${command}\``,
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${fmt(m.memGiB, 1)} GiB RAM, ${m.kernel}; load average ${m.loadAverage} at start, ${loadAtEnd} at end`,
    `- Versions: ${versions.join(', ')}`,
    `- Duration: ${fmt(durationMs / 1000, 0)} s`,
    ...[...notes, ...(result.notes ?? [])].map((n) => `- ${n}`),
    '',
    ...(result.tables ?? []).flatMap((t) => [markdownTable(t), '']),
    ...(result.extraLines ?? []).map((l) => `Also: \`${l}\``),
    `Headline: \`${result.headlineName ?? name}: ${result.headline}\``,
    '',
  ];
  appendFileSync(resultsFile, lines.join('\n'));
}
