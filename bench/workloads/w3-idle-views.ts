/**
 * W3, idle views: K views open at once on a fresh server, each a WebSocket that started a
 * view and got its tree, then nothing. Measures how fast they open (first start → last
 * tree, all load generators together) and what they cost: server RSS from /proc after a
 * forced GC, minus the same reading before they opened, per view (WebSocket included).
 * Runs /idle (renders once, then does nothing) and /counter (idle until clicked), and the
 * floor: K bare WebSockets held by the ws echo server (an upgrade, no session, no view).
 * Targets: at most 10 KB RSS per view; 10,000 views opened at over 2,500 views/s.
 */
import { cpuSnapshot, cpuUse, rssBytes } from '../lib/proc.js';
import { GeneratorProcess, sleep, startServer } from '../lib/processes.js';
import {
  num,
  range,
  type RunContext,
  type TargetCheck,
  type WorkloadReport,
} from '../lib/report.js';
import { spread } from '../lib/stats.js';
import type { OpenResult } from '../load/scenarios.js';
import { maxViewsPerProcess, readServer, readServerAfterGc, shares, startLona } from './common.js';

/** Load generator processes (each holds its share of the sockets). */
const GENERATORS = 4;
/** View opens in flight per generator. */
const CONCURRENCY = 64;

interface Run {
  path: string;
  requested: number;
  views: number;
  run: number;
  opened: number;
  failed: number;
  openSeconds: number;
  viewsPerSecond: number;
  timeToTreeP99: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  rssPerViewKB: number;
  heapPerViewKB: number;
  serverCpuUsPerOpen: number;
  /** CPU of all load generators while opening, in cores. */
  loadCores: number;
  serverIdleViews: number;
  serverConnections: number;
  otherCores: number;
  errors: string[];
}

/** The floor: bare WebSockets held by the ws echo server (no session, no view). */
const FLOOR = 'bare ws';

const ROUTES: Array<{ path: string; expectId: string }> = [
  { path: '/idle', expectId: 'status' },
  { path: '/counter', expectId: 'counter' },
];

export async function runW3(ctx: RunContext): Promise<WorkloadReport> {
  const cap = maxViewsPerProcess();
  const counts = (ctx.quick ? [1_000] : [1_000, 5_000, 10_000, 20_000]).map((k) => ({
    requested: k,
    views: Math.min(k, cap),
  }));
  const runs = ctx.runs ?? (ctx.quick ? 1 : 3);
  const routes = ctx.quick ? ROUTES.slice(0, 1) : ROUTES;
  const generators = await Promise.all(
    Array.from({ length: GENERATORS }, () => GeneratorProcess.start()),
  );
  const all: Run[] = [];
  try {
    for (const route of routes) {
      for (const { requested, views } of counts) {
        for (let run = 1; run <= runs; run++) {
          ctx.log(`W3 ${route.path} K=${views} run ${run}/${runs}`);
          all.push(await oneRun(ctx, generators, route, requested, views, run));
        }
      }
    }
    for (const { requested, views } of counts) {
      for (let run = 1; run <= runs; run++) {
        ctx.log(`W3 ${FLOOR} K=${views} run ${run}/${runs}`);
        all.push(await floorRun(generators, requested, views, run));
      }
    }
  } finally {
    await Promise.all(generators.map((g) => g.stop()));
  }
  return report(all, counts, [...routes, { path: FLOOR }], runs);
}

/** The same measurement for K bare WebSockets on the ws echo server. */
async function floorRun(
  generators: GeneratorProcess[],
  requested: number,
  views: number,
  run: number,
): Promise<Run> {
  const server = await startServer('ws-echo', 'bench/baselines/ws-echo.ts', {
    nodeArgs: ['--expose-gc'],
  });
  const read = async () => {
    const res = await fetch(`${server.url}/_bench/gc`, { signal: AbortSignal.timeout(60_000) });
    const { memory } = (await res.json()) as { memory: NodeJS.MemoryUsage };
    return { memory, rss: rssBytes(server.pid) };
  };
  try {
    await generators[0]!.call('openSockets', {
      group: 'warmup',
      url: server.url,
      count: 500,
      concurrency: CONCURRENCY,
    });
    await generators[0]!.call('close', { group: 'warmup' });
    await sleep(500);
    const before = await read();
    const pids = [server.pid, ...generators.map((g) => g.pid)];
    const cpuBefore = cpuSnapshot(pids);
    const results = await Promise.all(
      shares(views, generators.length).map((count, i) =>
        generators[i]!.call<OpenResult>('openSockets', {
          group: 'w3',
          url: server.url,
          count,
          concurrency: CONCURRENCY,
        }),
      ),
    );
    const use = cpuUse(cpuBefore, cpuSnapshot(pids));
    const opened = results.reduce((sum, r) => sum + r.opened, 0);
    const openSeconds =
      (Math.max(...results.map((r) => r.lastTreeAt)) -
        Math.min(...results.map((r) => r.firstStartAt))) /
      1000;
    await sleep(1000);
    const after = await read();
    return {
      path: FLOOR,
      requested,
      views,
      run,
      opened,
      failed: results.reduce((sum, r) => sum + r.failed, 0),
      openSeconds,
      viewsPerSecond: opened / openSeconds,
      timeToTreeP99: Math.max(...results.map((r) => r.timeToTree.p99)),
      rssBeforeMiB: before.rss / 2 ** 20,
      rssAfterMiB: after.rss / 2 ** 20,
      rssPerViewKB: (after.rss - before.rss) / opened / 1000,
      heapPerViewKB: (after.memory.heapUsed - before.memory.heapUsed) / opened / 1000,
      serverCpuUsPerOpen: ((use.perPid[server.pid] ?? NaN) / opened) * 1e6,
      loadCores: generators.reduce((sum, g) => sum + (use.perPid[g.pid] ?? 0), 0) / use.seconds,
      serverIdleViews: opened,
      serverConnections: opened,
      otherCores: use.otherCores,
      errors: results.flatMap((r) => r.errors),
    };
  } finally {
    await Promise.all(generators.map((g) => g.call('close', { group: 'w3' })));
    await server.stop();
  }
}

async function oneRun(
  ctx: RunContext,
  generators: GeneratorProcess[],
  route: { path: string; expectId: string },
  requested: number,
  views: number,
  run: number,
): Promise<Run> {
  const server = await startLona(ctx, `W3-${route.path.slice(1)}-K${views}-run${run}`);
  try {
    // Warm-up: open and close some views, so the code is compiled before counting.
    await generators[0]!.call('open', {
      group: 'warmup',
      url: server.url,
      path: route.path,
      count: 500,
      concurrency: CONCURRENCY,
      expectId: route.expectId,
    });
    await generators[0]!.call('close', { group: 'warmup' });
    await sleep(500);
    const before = await readServerAfterGc(server);
    const pids = [server.pid, ...generators.map((g) => g.pid)];
    const cpuBefore = cpuSnapshot(pids);
    const results = await Promise.all(
      shares(views, generators.length).map((count, i) =>
        generators[i]!.call<OpenResult>('open', {
          group: 'w3',
          url: server.url,
          path: route.path,
          count,
          concurrency: CONCURRENCY,
          expectId: route.expectId,
        }),
      ),
    );
    const use = cpuUse(cpuBefore, cpuSnapshot(pids));
    const opened = results.reduce((sum, r) => sum + r.opened, 0);
    const failed = results.reduce((sum, r) => sum + r.failed + r.busy, 0);
    const first = Math.min(...results.map((r) => r.firstStartAt));
    const last = Math.max(...results.map((r) => r.lastTreeAt));
    const openSeconds = (last - first) / 1000;
    await sleep(1000);
    const after = await readServerAfterGc(server);
    const alive = (
      await Promise.all(
        generators.map((g) => g.call<number>('alive', { group: 'w3', htmlId: route.expectId })),
      )
    ).reduce((sum, n) => sum + n, 0);
    const errors = results.flatMap((r) => r.errors);
    if (alive !== opened) errors.push(`${opened - alive} views closed after opening`);
    const finalReading = await readServer(server);
    return {
      path: route.path,
      requested,
      views,
      run,
      opened,
      failed,
      openSeconds,
      viewsPerSecond: opened / openSeconds,
      timeToTreeP99: Math.max(...results.map((r) => r.timeToTree.p99)),
      rssBeforeMiB: before.rss / 2 ** 20,
      rssAfterMiB: after.rss / 2 ** 20,
      rssPerViewKB: (after.rss - before.rss) / opened / 1000,
      heapPerViewKB: (after.memory.heapUsed - before.memory.heapUsed) / opened / 1000,
      serverCpuUsPerOpen: ((use.perPid[server.pid] ?? NaN) / opened) * 1e6,
      loadCores: generators.reduce((sum, g) => sum + (use.perPid[g.pid] ?? 0), 0) / use.seconds,
      serverIdleViews: finalReading.metrics.views.idle,
      serverConnections: finalReading.metrics.connections,
      otherCores: use.otherCores,
      errors,
    };
  } finally {
    await Promise.all(generators.map((g) => g.call('close', { group: 'w3' })));
    await server.stop();
  }
}

function report(
  all: Run[],
  counts: Array<{ requested: number; views: number }>,
  routes: Array<{ path: string }>,
  runs: number,
): WorkloadReport {
  const rows: string[][] = [];
  const targets: TargetCheck[] = [];
  const notes: string[] = [];
  for (const route of routes) {
    for (const { requested, views } of counts) {
      const these = all.filter((r) => r.path === route.path && r.views === views);
      const perView = spread(these.map((r) => r.rssPerViewKB));
      const rate = spread(these.map((r) => r.viewsPerSecond));
      rows.push([
        `${route.path} K=${num(views)}${views < requested ? ` (of ${num(requested)})` : ''}`,
        num(Math.min(...these.map((r) => r.opened))),
        range(rate),
        num(spread(these.map((r) => r.timeToTreeP99)).median, 1),
        range(perView, 1),
        num(spread(these.map((r) => r.heapPerViewKB)).median, 1),
        num(spread(these.map((r) => r.rssAfterMiB)).median, 0),
        num(spread(these.map((r) => r.serverCpuUsPerOpen)).median, 0),
        num(spread(these.map((r) => r.loadCores)).median, 2),
        num(spread(these.map((r) => r.otherCores)).median, 2),
      ]);
      if (route.path !== FLOOR && views === Math.max(...counts.map((c) => c.views))) {
        targets.push({
          workload: 'W3',
          target: `≤ 10 KB RSS per view (K=${num(views)}, ${route.path})`,
          measured: `${num(perView.median, 1)} KB`,
          met: perView.median <= 10,
        });
      }
      if (route.path !== FLOOR && views === 10_000) {
        targets.push({
          workload: 'W3',
          target: `10,000 views open at > 2,500 views/s (${route.path})`,
          measured: `${num(rate.median)} views/s`,
          met: rate.median > 2500,
        });
      }
      if (views < requested) {
        notes.push(
          `K=${num(requested)} was capped at ${num(views)}: one server process may open ${num(maxViewsPerProcess() + 200)} files here (ulimit -n, hard limit; not raisable without CAP_SYS_RESOURCE).`,
        );
      }
    }
  }
  const errors = all.flatMap((r) => r.errors);
  const incomplete = all.filter((r) => r.opened !== r.views || r.serverIdleViews !== r.opened);
  targets.push({
    workload: 'W3',
    target: 'every view opened, shows its tree, counted idle by the server',
    measured:
      errors.length || incomplete.length
        ? `${incomplete.length} incomplete runs; ${errors.slice(0, 3).join('; ')}`
        : `${all.length} runs checked`,
    met: errors.length === 0 && incomplete.length === 0,
  });
  return {
    id: 'W3',
    title: 'W3 idle views',
    config: {
      counts,
      routes: routes.map((r) => r.path),
      runs,
      generators: GENERATORS,
      concurrencyPerGenerator: CONCURRENCY,
      cookie: 'one GET per load generator process (a browser with many tabs)',
      rss: 'VmRSS after two forced GCs, minus the same before opening, per opened view',
    },
    tables: [
      {
        title: `W3 idle views: K views opened (${GENERATORS} load processes × ${CONCURRENCY} opens in flight) and held; median [min–max] of ${runs} runs`,
        columns: [
          'route, views',
          'opened',
          'views/s',
          'open p99 ms',
          'RSS KB/view',
          'heap KB/view',
          'RSS MiB',
          'CPU µs/open',
          'load cores',
          'other cores',
        ],
        rows,
      },
    ],
    targets,
    notes: [...new Set(notes)],
    raw: all,
  };
}
