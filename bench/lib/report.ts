/**
 * The shape of a workload's report (tables, target checks, raw runs), how a table is
 * printed (plain text or Markdown for the README), number formats, and the JSON file
 * each workload writes under bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MachineInfo } from './proc.js';
import type { Spread } from './stats.js';

export const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
}

export interface TargetCheck {
  workload: string;
  target: string;
  measured: string;
  /** null: could not be measured here (say why in `measured`). */
  met: boolean | null;
}

export interface WorkloadReport {
  id: string;
  title: string;
  config: Record<string, unknown>;
  tables: Table[];
  targets: TargetCheck[];
  notes: string[];
  raw: unknown;
}

export interface RunContext {
  quick: boolean;
  /** Repetitions of each figure (overrides the workload's default). */
  runs?: number;
  /** Profile the lona-ts server with --cpu-prof. */
  cpuProf: boolean;
  /** Where the servers of this run write their .cpuprofile files, and how long they took to start. */
  profiles: Array<{ dir: string; startupMs: number }>;
  /** Progress line on stderr. */
  log(message: string): void;
}

export function formatTable(table: Table, markdown = false): string {
  const widths = table.columns.map((column, i) =>
    Math.max(column.length, ...table.rows.map((row) => (row[i] ?? '').length)),
  );
  // The first column names the row; the others hold figures and are right-aligned.
  const isNumeric = table.columns.map((_, i) => i > 0);
  const cell = (text: string, i: number) =>
    isNumeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!);
  if (markdown) {
    const line = (cells: string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
    const rule = `|${widths.map((w, i) => (isNumeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
    return [`**${table.title}**`, '', line(table.columns), rule, ...table.rows.map(line)].join(
      '\n',
    );
  }
  const line = (cells: string[]) => cells.map((c, i) => cell(c, i)).join('  ');
  return [
    table.title,
    line(table.columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map(line),
  ].join('\n');
}

/** A number with thousands separators and `digits` decimals; '–' for NaN. */
export function num(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** median [min–max] of a spread. */
export function range(s: Spread, digits = 0, unit = ''): string {
  if (!Number.isFinite(s.median)) return '–';
  if (s.runs.length <= 1) return `${num(s.median, digits)}${unit}`;
  return `${num(s.median, digits)}${unit} [${num(s.min, digits)}–${num(s.max, digits)}]`;
}

export function pct(value: number, digits = 1): string {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '–';
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

export interface ResultFile {
  date: string;
  command: string;
  machine: MachineInfo;
  pinning: string;
  source: { commit: string; srcFilesChanged: number };
  quick: boolean;
  report: WorkloadReport;
}

/** Writes bench/results/<date>-<id>.json (quick runs: <date>-<id>.quick.json). */
export function writeResult(file: ResultFile): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const name = `${file.date}-${file.report.id}${file.quick ? '.quick' : ''}.json`;
  const path = `${RESULTS_DIR}${name}`;
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  return path;
}
