/**
 * The benchmark suite's entry: `npm run bench` runs every workload (bench/README.md),
 * prints a table per workload and the targets met or missed, and writes
 * bench/results/<date>-<workload>.json.
 *
 *   npm run bench                     everything (W1–W6, then the patch-engine micro-benchmark)
 *   npm run bench -- W1 W4            some workloads
 *   npm run bench -- --quick          a small version of each, for smoke-testing (about a minute)
 *   npm run bench -- --runs 3         repetitions per figure
 *   npm run bench -- --cpu-prof W4    profile the lona-ts server; prints its top frames
 *   npm run bench -- --markdown       tables as Markdown (for the README)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { machineInfo, sourceVersion } from './lib/proc.js';
import { getPinning } from './lib/processes.js';
import { summarizeProfile } from './lib/profile.js';
import {
  formatTable,
  num,
  pct,
  today,
  writeResult,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from './lib/report.js';
import { mainThreadProfile, maxViewsPerProcess } from './workloads/common.js';
import { runW1 } from './workloads/w1-clicks.js';
import { runW2 } from './workloads/w2-http.js';
import { runW3 } from './workloads/w3-idle-views.js';
import { runW4 } from './workloads/w4-clocks.js';
import { runW5 } from './workloads/w5-fanout.js';
import { runW6 } from './workloads/w6-fanout-redis.js';

const WORKLOADS: Record<string, (ctx: RunContext) => Promise<WorkloadReport>> = {
  W1: runW1,
  W2: runW2,
  W3: runW3,
  W4: runW4,
  W5: runW5,
  W6: runW6,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    'no-save': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'npm run bench -- [W1 W2 W3 W4 W5 W6 patch-engine] [--quick] [--runs N] [--cpu-prof] [--markdown] [--no-save]\n',
  );
  process.exit(0);
}

const selected = positionals.length
  ? positionals.map((name) => name.toUpperCase())
  : [...Object.keys(WORKLOADS), 'PATCH-ENGINE'];
for (const name of selected) {
  if (!(name in WORKLOADS) && name !== 'PATCH-ENGINE') {
    process.stderr.write(`Unknown workload ${name}; choose from W1–W6, patch-engine.\n`);
    process.exit(2);
  }
}

const runs = values.runs === undefined ? undefined : Number(values.runs);
if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) {
  process.stderr.write(`--runs needs a whole number ≥ 1; got ${values.runs}\n`);
  process.exit(2);
}

const started = Date.now();
const ctx: RunContext = {
  quick: values.quick,
  runs,
  cpuProf: values['cpu-prof'],
  profiles: [],
  log: (message) =>
    process.stderr.write(
      `[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}\n`,
    ),
};
const machine = machineInfo();
const pinning = getPinning();
const source = sourceVersion();
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const print = (text: string) => process.stdout.write(`${text}\n`);

print(
  `lona-ts benchmarks, ${today()}: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`,
);
print(
  `${pinning.note}; open files ${machine.openFiles.soft} (hard ${machine.openFiles.hard}), so at most ${num(maxViewsPerProcess())} views per server process; load average at start ${machine.loadAverage.join(' ')}`,
);
print(
  `source: commit ${source.commit}${source.srcFilesChanged ? `, ${source.srcFilesChanged} files under src/ changed since` : ''}`,
);
print('');

const targets: TargetCheck[] = [];
for (const name of selected) {
  if (name === 'PATCH-ENGINE') {
    ctx.log('patch-engine micro-benchmark');
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/patch-engine.bench.ts'], {
      encoding: 'utf8',
    });
    print(`patch engine micro-benchmark (bench/patch-engine.bench.ts)\n${result.stdout}`);
    continue;
  }
  ctx.log(`${name} starts`);
  const report = await WORKLOADS[name]!(ctx);
  for (const table of report.tables) print(`${formatTable(table, values.markdown)}\n`);
  for (const note of report.notes) print(`note: ${note}`);
  if (report.notes.length) print('');
  targets.push(...report.targets);
  if (!values['no-save']) {
    const path = writeResult({
      date: today(),
      command,
      machine: { ...machine, loadAverage: machineInfo().loadAverage },
      pinning: pinning.note,
      source,
      quick: ctx.quick,
      report,
    });
    ctx.log(`${name} done; wrote ${path}`);
  }
}

if (targets.length) {
  print(
    formatTable(
      {
        title: 'Targets',
        columns: ['workload', 'target', 'measured', 'met'],
        rows: targets.map((t) => [
          t.workload,
          t.target,
          t.measured,
          t.met === null ? 'n/a' : t.met ? 'yes' : 'NO',
        ]),
      },
      values.markdown,
    ),
  );
  print('');
}

for (const { dir, startupMs } of ctx.profiles) {
  const path = existsSync(dir) ? mainThreadProfile(dir) : undefined;
  if (!path) {
    print(`no main-thread profile in ${dir}`);
    continue;
  }
  {
    const file = relative(process.cwd(), path);
    // Module loading (tsx) before READY is not the workload: leave it out.
    const summary = summarizeProfile(path, { skipMs: startupMs });
    const busy = summary.totalMs - summary.idleMs;
    print(
      formatTable(
        {
          title: `Profile ${file} (after READY at ${num(startupMs / 1000, 1)} s): busy ${num(busy / 1000, 1)} s of ${num(summary.totalMs / 1000, 1)} s; top frames by self time`,
          columns: ['function', 'where', 'self ms', 'share of busy'],
          rows: summary.top.map((f) => [f.name, f.where, num(f.selfMs), pct(f.share)]),
        },
        values.markdown,
      ),
    );
    print(`by area: ${summary.areas.map((a) => `${a.area} ${pct(a.share)}`).join(', ')}\n`);
  }
}

ctx.log(`finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
