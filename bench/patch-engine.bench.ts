/**
 * Patch engine benchmark: what one cell edit costs on a big shown table, what recording
 * costs while a list grows, and how fast toString() is. Prints a plain table; a baseline
 * runs in the same process (building without a recorder) so the ratio is comparable
 * across machines. Run: npx tsx bench/patch-engine.bench.ts
 */
import { Div, Li, Ul } from '../src/html/nodes/grouping.js';
import { Table, TBody, Td, Tr } from '../src/html/nodes/tables.js';
import { Span } from '../src/html/nodes/text-level.js';
import { PatchRecorder } from '../src/html/patch-recorder.js';
import { serializeNode } from '../src/html/serialize.js';

const ROWS = 1000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function time(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6; // ms
}

function table(): { root: Div; cells: Td[] } {
  const cells: Td[] = [];
  const rows: Tr[] = [];
  for (let i = 0; i < ROWS; i++) {
    const row = [
      new Td(String(i)),
      new Td({ class: 'name' }, `row ${i}`),
      new Td(new Span({ class: 'badge' }, 'ok')),
    ];
    cells.push(row[1] as Td);
    rows.push(new Tr({ 'data-row': i }, row));
  }
  return { root: new Div({ id: 'app' }, new Table(new TBody(rows))), cells };
}

const results: [string, string][] = [];

// (a) one cell of a shown 1,000-row table changes, then flush
{
  const { root, cells } = table();
  const recorder = new PatchRecorder(root);
  serializeNode(root);
  let bytes = 0;
  const samples: number[] = [];
  for (let i = 0; i < 5000; i++) {
    const cell = cells[i % ROWS] as Td;
    samples.push(
      time(() => {
        cell.setText(`edit ${i}`);
        bytes = JSON.stringify(recorder.flush().patches).length;
      }),
    );
  }
  results.push(['(a) edit one cell of 1,000 rows + flush: patch bytes', String(bytes)]);
  results.push([
    '(a) edit one cell of 1,000 rows + flush: µs (median of 5,000)',
    (median(samples) * 1000).toFixed(1),
  ]);
}

// (b) append 1,000 children one at a time to a shown list, flush at the end,
//     against building the same tree with no recorder
{
  const shownRuns: number[] = [];
  const plainRuns: number[] = [];
  let patchCount = 0;
  for (let run = 0; run < 40; run++) {
    plainRuns.push(
      time(() => {
        const list = new Ul();
        new Div(list);
        for (let i = 0; i < ROWS; i++) list.append(new Li({ class: 'item' }, `item ${i}`));
        serializeNode(list);
      }),
    );
    shownRuns.push(
      time(() => {
        const list = new Ul();
        const recorder = new PatchRecorder(new Div(list));
        for (let i = 0; i < ROWS; i++) list.append(new Li({ class: 'item' }, `item ${i}`));
        patchCount = recorder.flush().patches.length;
        recorder.detach();
      }),
    );
  }
  const shown = median(shownRuns);
  const plain = median(plainRuns);
  results.push(['(b) append 1,000 to a shown list + flush: ms (median of 40)', shown.toFixed(2)]);
  results.push(['(b) same tree, no recorder (+ serializeNode): ms', plain.toFixed(2)]);
  results.push(['(b) ratio shown / plain', (shown / plain).toFixed(2)]);
  results.push(['(b) patches in the batch', String(patchCount)]);
}

// (c) toString of the 1,000-row table; (d) full-tree serialization, for scale
{
  const { root } = table();
  let length = 0;
  const renders: number[] = [];
  const serializations: number[] = [];
  for (let i = 0; i < 100; i++) {
    renders.push(time(() => (length = root.toString().length)));
    serializations.push(time(() => JSON.stringify(serializeNode(root))));
  }
  results.push([
    '(c) toString of the 1,000-row table: ms (median of 100)',
    median(renders).toFixed(2),
  ]);
  results.push(['(c) toString output: characters', String(length)]);
  results.push([
    '(d) serializeNode + JSON.stringify of the table: ms',
    median(serializations).toFixed(2),
  ]);
}

const width = Math.max(...results.map(([name]) => name.length));
console.log(`${'measure'.padEnd(width)}  value`);
console.log(`${'-'.repeat(width)}  -----`);
for (const [name, value] of results) console.log(`${name.padEnd(width)}  ${value}`);
