/**
 * W1, click round trips: N clients each show /counter and click #plus 50 times, each click
 * waiting for its patch (and `done`); the final counter must equal the clicks. The same
 * N clients do the same number of round trips against the bare `ws` echo server in the
 * same run, in alternating order, and lona-ts is reported as a ratio to it.
 * Targets: at N=100 at least half the echo's rate; at N=500 a p99 at most twice the echo's.
 */
import { cpuSnapshot, cpuUse } from '../lib/proc.js';
import { GeneratorProcess, startServer } from '../lib/processes.js';
import {
  num,
  range,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from '../lib/report.js';
import { spread } from '../lib/stats.js';
import type { ClicksResult } from '../load/scenarios.js';
import { startLona } from './common.js';

const CLICKS_PER_CLIENT = 50;
/** Runs per N: 50 clicks of one client take a few ms, so one scheduler hiccup moves a run. */
const RUNS = 9;

interface Run {
  clients: number;
  run: number;
  lona: ClicksResult;
  echo: ClicksResult;
  otherCores: number;
}

export async function runW1(ctx: RunContext): Promise<WorkloadReport> {
  const clientCounts = ctx.quick ? [1, 10, 100] : [1, 10, 100, 500];
  const runs = ctx.runs ?? (ctx.quick ? 1 : RUNS);
  const all: Run[] = [];
  for (const clients of clientCounts) {
    const lona = await startLona(ctx, `W1-N${clients}`);
    const echo = await startServer('ws-echo', 'bench/baselines/ws-echo.ts');
    const generator = await GeneratorProcess.start();
    try {
      for (let run = 1; run <= runs; run++) {
        ctx.log(`W1 N=${clients} run ${run}/${runs}`);
        const warmupClicks = Math.max(5, Math.ceil(1000 / clients));
        const results: Partial<Record<'lona' | 'echo', ClicksResult>> = {};
        const before = cpuSnapshot([lona.pid, echo.pid, generator.pid]);
        const order = run % 2 === 1 ? (['lona', 'echo'] as const) : (['echo', 'lona'] as const);
        for (const target of order) {
          const server = target === 'lona' ? lona : echo;
          results[target] = await generator.call<ClicksResult>('clicks', {
            url: server.url,
            target,
            clients,
            clicks: CLICKS_PER_CLIENT,
            warmupClicks,
            serverPid: server.pid,
          });
        }
        const use = cpuUse(before, cpuSnapshot([lona.pid, echo.pid, generator.pid]));
        all.push({
          clients,
          run,
          lona: results.lona!,
          echo: results.echo!,
          otherCores: use.otherCores,
        });
      }
    } finally {
      await generator.stop();
      await echo.stop();
      await lona.stop();
    }
  }
  return report(ctx, clientCounts, all);
}

function report(ctx: RunContext, clientCounts: number[], all: Run[]): WorkloadReport {
  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  const errors = all.flatMap((r) => [...r.lona.errors, ...r.echo.errors]);
  for (const clients of clientCounts) {
    const runs = all.filter((r) => r.clients === clients);
    const rate = spread(runs.map((r) => r.lona.rate));
    const echoRate = spread(runs.map((r) => r.echo.rate));
    const ratio = spread(runs.map((r) => r.lona.rate / r.echo.rate));
    const p99Ratio = spread(runs.map((r) => r.lona.latency.p99 / r.echo.latency.p99));
    const generatorCores = Math.max(...runs.map((r) => r.echo.generatorCores));
    const cpuRatio = spread(
      runs.map((r) => r.lona.serverCpuUsPerClick / r.echo.serverCpuUsPerClick),
    );
    rows.push([
      `N=${clients}`,
      range(rate),
      range(echoRate),
      range(ratio, 2),
      num(spread(runs.map((r) => r.lona.latency.p50)).median, 2),
      num(spread(runs.map((r) => r.lona.latency.p99)).median, 2),
      num(spread(runs.map((r) => r.echo.latency.p99)).median, 2),
      range(p99Ratio, 2),
      num(spread(runs.map((r) => r.lona.serverCpuUsPerClick)).median, 1),
      num(spread(runs.map((r) => r.echo.serverCpuUsPerClick)).median, 1),
      num(cpuRatio.median, 2),
      num(generatorCores, 2),
      num(spread(runs.map((r) => r.otherCores)).median, 2),
    ]);
    if (generatorCores > 0.9) {
      notes.push(
        `N=${clients}: the load generator used up to ${num(generatorCores, 2)} of its core against the echo server, so the echo rate is partly limited by the load side: the real floor is faster and the lona / echo ratio an upper bound. 'CPU lona / echo' (server CPU per round trip) does not depend on the load side.`,
      );
    }
    if (clients === 100) {
      targets.push({
        workload: 'W1',
        target: 'N=100: rate ≥ 0.5 × ws echo',
        measured: `${num(ratio.median, 2)} × (${num(rate.median)}/s vs ${num(echoRate.median)}/s)`,
        met: ratio.median >= 0.5,
      });
    }
    if (clients === 500) {
      targets.push({
        workload: 'W1',
        target: 'N=500: p99 ≤ 2 × ws echo p99',
        measured: `${num(p99Ratio.median, 2)} ×`,
        met: p99Ratio.median <= 2,
      });
    }
  }
  targets.push({
    workload: 'W1',
    target: 'every final counter = its clicks; no sequence gap',
    measured:
      errors.length === 0 ? `${all.length * 2} runs checked` : errors.slice(0, 3).join('; '),
    met: errors.length === 0,
  });
  return {
    id: 'W1',
    title: 'W1 click round trips (/counter vs bare ws echo)',
    config: {
      clientCounts,
      clicksPerClient: CLICKS_PER_CLIENT,
      warmupClicksPerClient: 'max(5, ceil(1000 / N))',
      runs: ctx.runs ?? (ctx.quick ? 1 : RUNS),
    },
    tables: [
      {
        title: `W1 click round trips: N clients × ${CLICKS_PER_CLIENT} clicks, each waiting for its patch; median [min–max] of runs`,
        columns: [
          'clients',
          'lona clicks/s',
          'echo round trips/s',
          'lona / echo',
          'lona p50 ms',
          'lona p99 ms',
          'echo p99 ms',
          'p99 lona / echo',
          'lona CPU µs/click',
          'echo CPU µs/rt',
          'CPU lona / echo',
          'load cores',
          'other cores',
        ],
        rows,
      },
    ],
    targets,
    notes,
    raw: all,
  };
}
