/**
 * W5, channel fan-out: one /pub view and K /sub views. Each click on #publish sends {seq}
 * on bench.fanout; the next click waits until every subscriber showed that seq. Measures
 * the time from the click's send to the last (and first) subscriber's patch, as one load
 * process sees them, and checks that every subscriber showed every seq in order.
 * Target: p50 under 10 ms at K = 1,000.
 */
import { cpuSnapshot, cpuUse } from '../lib/proc.js';
import { GeneratorProcess, startServer, type ServerProcess } from '../lib/processes.js';
import {
  num,
  range,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from '../lib/report.js';
import { spread } from '../lib/stats.js';
import type { FanoutResult } from '../load/scenarios.js';
import { fanoutCorrectness, startLona } from './common.js';

interface Run {
  subscribers: number;
  run: number;
  result: FanoutResult;
  floor: FanoutResult;
  otherCores: number;
}

export async function runW5(ctx: RunContext): Promise<WorkloadReport> {
  const counts = ctx.quick ? [10, 100] : [10, 100, 1_000];
  const runs = ctx.runs ?? (ctx.quick ? 1 : 5);
  const messages = ctx.quick ? 20 : 50;
  const warmupMessages = 10;
  const all: Run[] = [];
  const generator = await GeneratorProcess.start();
  try {
    for (const subscribers of counts) {
      const server = await startLona(ctx, `W5-K${subscribers}`);
      const echo = await startServer('ws-echo', 'bench/baselines/ws-echo.ts');
      try {
        for (let run = 1; run <= runs; run++) {
          ctx.log(`W5 K=${subscribers} run ${run}/${runs}`);
          const pids = [server.pid, echo.pid, generator.pid];
          const before = cpuSnapshot(pids);
          const call = (target: ServerProcess, command: string) =>
            generator.call<FanoutResult>(command, {
              url: target.url,
              subscribers,
              messages,
              warmupMessages,
              serverPid: target.pid,
            });
          let result: FanoutResult;
          let floor: FanoutResult;
          if (run % 2 === 1) {
            result = await call(server, 'fanout');
            floor = await call(echo, 'broadcast');
          } else {
            floor = await call(echo, 'broadcast');
            result = await call(server, 'fanout');
          }
          const use = cpuUse(before, cpuSnapshot(pids));
          all.push({ subscribers, run, result, floor, otherCores: use.otherCores });
        }
      } finally {
        await echo.stop();
        await server.stop();
      }
    }
  } finally {
    await generator.stop();
  }

  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  for (const subscribers of counts) {
    const these = all.filter((r) => r.subscribers === subscribers);
    const p50 = spread(these.map((r) => r.result.toLast.p50));
    const med = (pick: (r: Run) => number, digits: number) =>
      num(spread(these.map(pick)).median, digits);
    rows.push([
      `K=${num(subscribers)}`,
      range(p50, 2),
      med((r) => r.result.toLast.p99, 2),
      med((r) => r.result.toFirst.p50, 2),
      range(spread(these.map((r) => r.floor.toLast.p50)), 2),
      med((r) => r.result.toLast.p50 / r.floor.toLast.p50, 2),
      med((r) => r.result.serverCpuUsPerDelivery, 1),
      med((r) => r.floor.serverCpuUsPerDelivery, 1),
      med((r) => r.otherCores, 2),
    ]);
    if (subscribers === 1_000) {
      targets.push({
        workload: 'W5',
        target: 'K=1,000: send → last subscriber p50 < 10 ms',
        measured: `${num(p50.median, 2)} ms`,
        met: p50.median < 10,
      });
    }
  }
  targets.push(
    fanoutCorrectness(
      'W5',
      'every subscriber shows every seq, in order',
      all.flatMap((r) => [r.result, r.floor]),
    ),
  );
  return {
    id: 'W5',
    title: 'W5 channel fan-out',
    config: { counts, runs, messages, warmupMessages, topic: 'bench.fanout' },
    tables: [
      {
        title: `W5 fan-out: 1 publisher, K subscribers, ${messages} messages each waiting for all; median [min–max] of ${runs} runs`,
        columns: [
          'subscribers',
          'lona to last p50 ms',
          'lona to last p99 ms',
          'lona to first p50 ms',
          'ws broadcast to last p50 ms',
          'lona / ws',
          'lona CPU µs/delivery',
          'ws CPU µs/delivery',
          'other cores',
        ],
        rows,
      },
    ],
    targets,
    notes: [],
    raw: all,
  };
}
