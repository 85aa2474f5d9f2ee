/**
 * W6, channel fan-out across processes: W5's publisher and K subscribers, with the
 * subscribers spread over two server processes that share a real redis-server as their
 * channel broker (CHANNEL_BROKER=redis://…). The same run measures, on the same K:
 *
 *   memory, 1 process    the in-process broker (W5's set-up): the reference
 *   redis, 1 process     every view on process A, every message through Redis and back
 *   redis, 2 processes   the publisher on A, subscribers alternating between A and B
 *
 * Each message waits until every subscriber showed it; the time is from the click's send
 * to the last (and first) subscriber's patch. The configurations take turns, in a rotating
 * order, within every run. Both servers are pinned to the server core, so the two-process
 * figures get the same CPU as the one-process ones; redis-server runs on the load core.
 */
import { RedisServer, findRedisServer } from '../../test/helpers/redis-server.js';
import { cpuSnapshot, cpuUse } from '../lib/proc.js';
import { GeneratorProcess, pinToLoadCore } from '../lib/processes.js';
import {
  num,
  range,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from '../lib/report.js';
import { spread } from '../lib/stats.js';
import type { FanoutResult } from '../load/scenarios.js';
import { fanoutCorrectness, startLona, type LonaServer } from './common.js';

interface Config {
  name: string;
  /** Where the publisher runs. */
  publisher: LonaServer;
  /** The servers the subscribers are spread over. */
  subscribers: LonaServer[];
  /** Every server whose CPU counts (the idle B of "redis, 1 process" spends next to none). */
  measured: LonaServer[];
}

interface Run {
  config: string;
  subscribers: number;
  run: number;
  result: FanoutResult;
  /** The in-process broker's figure of the same run and K. */
  reference: FanoutResult;
  otherCores: number;
}

const REFERENCE = 'memory, 1 process';

export async function runW6(ctx: RunContext): Promise<WorkloadReport> {
  if (findRedisServer() === undefined) {
    return {
      id: 'W6',
      title: 'W6 channel fan-out across processes through Redis',
      config: {},
      tables: [],
      targets: [
        {
          workload: 'W6',
          target: 'fan-out through Redis over 2 processes',
          measured: 'not measured: redis-server is not installed (apt-get install redis-server)',
          met: null,
        },
      ],
      notes: [],
      raw: [],
    };
  }
  const counts = ctx.quick ? [10, 100] : [100, 1_000];
  const runs = ctx.runs ?? (ctx.quick ? 1 : 5);
  const messages = ctx.quick ? 20 : 50;
  const warmupMessages = 10;
  const all: Run[] = [];
  const redis = await RedisServer.start();
  pinToLoadCore(redis.pid!);
  const generator = await GeneratorProcess.start();
  try {
    for (const subscribers of counts) {
      const broker = { CHANNEL_BROKER: redis.url };
      const memory = await startLona(ctx, `W6-K${subscribers}-memory`);
      const a = await startLona(ctx, `W6-K${subscribers}-redis-A`, broker);
      const b = await startLona(ctx, `W6-K${subscribers}-redis-B`, broker);
      const configs: Config[] = [
        { name: REFERENCE, publisher: memory, subscribers: [memory], measured: [memory] },
        { name: 'redis, 1 process', publisher: a, subscribers: [a], measured: [a, b] },
        { name: 'redis, 2 processes', publisher: a, subscribers: [a, b], measured: [a, b] },
      ];
      try {
        for (let run = 1; run <= runs; run++) {
          const results = new Map<string, { result: FanoutResult; otherCores: number }>();
          // Rotate the order so that no configuration always runs first (or last).
          const order = configs.map((_, i) => configs[(i + run - 1) % configs.length]!);
          for (const config of order) {
            ctx.log(`W6 K=${subscribers} run ${run}/${runs}: ${config.name}`);
            const pids = [...config.measured.map((s) => s.pid), generator.pid, redis.pid!];
            const before = cpuSnapshot(pids);
            const result = await generator.call<FanoutResult>('fanout', {
              url: config.publisher.url,
              subscriberUrls: config.subscribers.map((s) => s.url),
              subscribers,
              messages,
              warmupMessages,
              serverPid: config.measured.map((s) => s.pid),
            });
            results.set(config.name, {
              result,
              otherCores: cpuUse(before, cpuSnapshot(pids)).otherCores,
            });
          }
          const reference = results.get(REFERENCE)!.result;
          for (const [config, { result, otherCores }] of results) {
            all.push({ config, subscribers, run, result, reference, otherCores });
          }
        }
      } finally {
        await Promise.all([memory.stop(), a.stop(), b.stop()]);
      }
    }
  } finally {
    await generator.stop();
    await redis.stop();
  }

  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  for (const subscribers of counts) {
    for (const config of [REFERENCE, 'redis, 1 process', 'redis, 2 processes']) {
      const these = all.filter((r) => r.subscribers === subscribers && r.config === config);
      const med = (pick: (r: Run) => number, digits: number) =>
        num(spread(these.map(pick)).median, digits);
      rows.push([
        `K=${num(subscribers)}, ${config}`,
        range(spread(these.map((r) => r.result.toLast.p50)), 2),
        med((r) => r.result.toLast.p99, 2),
        med((r) => r.result.toFirst.p50, 2),
        config === REFERENCE ? '1' : med((r) => r.result.toLast.p50 / r.reference.toLast.p50, 2),
        med((r) => r.result.serverCpuUsPerDelivery, 1),
        med((r) => r.otherCores, 2),
      ]);
    }
  }
  targets.push(
    fanoutCorrectness(
      'W6',
      'every subscriber on both processes shows every seq, in order',
      all.map((r) => r.result),
    ),
  );
  return {
    id: 'W6',
    title: 'W6 channel fan-out across processes through Redis',
    config: { counts, runs, messages, warmupMessages, redis: 'redis-server, no persistence' },
    tables: [
      {
        title: `W6 fan-out: 1 publisher, K subscribers, ${messages} messages each waiting for all; median [min–max] of ${runs} runs; ratio to the in-process broker taken run by run`,
        columns: [
          'subscribers, broker',
          'to last p50 ms',
          'to last p99 ms',
          'to first p50 ms',
          '× memory p50',
          'servers CPU µs/delivery',
          'other cores',
        ],
        rows,
      },
    ],
    targets,
    notes: [
      'Both lona-ts processes share the server core, redis-server and the load share the other: two processes here show the cost of the broker hop, not the gain of a second core.',
    ],
    raw: all,
  };
}
