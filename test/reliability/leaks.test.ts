/**
 * Leaks (SPEC §3.3, §4.2, §4.8): ten thousand views — short counters and long-running
 * clocks, each subscribed to a channel — are opened and closed through real sockets, in
 * batches, by navigation and by closing the socket. Afterwards nothing of them is left:
 * no live runtimes, no registry entries, no connections, no pool slots, no timers, no
 * channel subscriptions, and memory is back near where it started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Button, Div, Span, View } from '../../src/index.js';
import { MESSAGE } from '../../src/protocol/messages.js';
import { connect, sessionCookie, type RawClient } from '../helpers/ws-client.js';
import {
  activeResources,
  click,
  collectGarbage,
  directUrl,
  nodeIdOf,
  printFigures,
  round,
  settleRss,
  startServer,
  startView,
  until,
  type ReliableServer,
} from './support.js';

const VIEWS = 10_000;
/** Connections open at once. */
const BATCH = 200;
/** Views each connection opens one after the other (the last one ends with the socket). */
const VIEWS_PER_CONNECTION = 5;
/** The heap may end this much above where it started, after a GC. */
const HEAP_MARGIN_MIB = 8;
/** RSS may end this much above where it started (after the warm-up batch), after a GC. */
const RSS_MARGIN_MIB = 64;

let created = 0;
let cleanedUp = 0;
let peakViews = 0;
let peakSubscriptions = 0;
let peakTimers = 0;

/** Counts a view start, and the most views, subscriptions and timers alive at once. */
function started(view: View): void {
  created++;
  peakViews = Math.max(peakViews, view.app.server!.views.registry.size);
  if (created % 50 === 0) {
    peakSubscriptions = Math.max(peakSubscriptions, view.app.channels.metrics().subscriptions);
    peakTimers = Math.max(peakTimers, activeResources('Timeout'));
  }
}

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    started(this);
    this.subscribe('leaks.counter', () => this.count.setText('0'));
    return new Div(
      this.count,
      new Button(
        { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
  override onCleanup() {
    cleanedUp++;
  }
}

class Clock extends View {
  override async handleRequest() {
    started(this);
    const time = new Span({ id: 'time' }, '');
    const page = new Div({ id: 'clock' }, time);
    this.subscribe('leaks.clock', () => time.setText('reset'));
    for (let tick = 0; ; tick++) {
      time.setText(String(tick));
      await this.show(page);
      await this.sleep(20);
    }
  }
  override onCleanup() {
    cleanedUp++;
  }
}

let server: ReliableServer;

beforeAll(async () => {
  server = await startServer((app) => {
    app.route('/counter', Counter);
    app.route('/clock', Clock);
  });
});

afterAll(() => server.stop());

/** One connection: opens its views one after another, uses each, and leaves by closing. */
async function useConnection(client: RawClient, url: string, first: number): Promise<void> {
  try {
    for (let i = 0; i < VIEWS_PER_CONNECTION; i++) {
      const n = first + i;
      if (n % 2 === 0) {
        const { viewId, tree } = await startView(client, url, '/counter');
        const { done } = await click({ client, viewId, tree }, nodeIdOf(tree[3], 'plus')!, n);
        if (done[4] !== undefined) throw new Error(`click not handled: ${JSON.stringify(done)}`);
      } else {
        const { viewId } = await startView(client, url, '/clock');
        // The clock runs: wait for one of its ticks.
        await client.next((f) => f[0] === MESSAGE.PATCHES && f[1] === viewId);
      }
    }
  } finally {
    client.close();
  }
}

/** A batch: its connections are all open at once, then each runs its views, then all close. */
async function batch(url: string, cookie: string, size: number, first: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: size }, () => connect(url, { cookie })));
  await Promise.all(
    clients.map((client, i) => useConnection(client, url, (first + i) * VIEWS_PER_CONNECTION)),
  );
}

function snapshot() {
  const app = server.app;
  const metrics = app.metrics();
  return {
    views: metrics.views,
    registry: app.server!.views.registry.size,
    connections: metrics.connections,
    runtimeSlots: metrics.pools.runtime.active,
    workerSlots: metrics.pools.worker.active,
    subscriptions: app.channels.metrics().subscriptions,
    timers: activeResources('Timeout'),
    sockets: activeResources('TCPSocketWrap'),
  };
}

describe('ten thousand views', () => {
  it('leave no runtimes, timers, subscriptions, slots or memory behind', async () => {
    const url = directUrl(server.app);
    const cookie = await sessionCookie(url);
    // Warm up with one full batch (the pools, the channel hub, JIT code and the allocators
    // reach their working size), then take the baseline.
    await batch(url, cookie, BATCH, 0);
    await until(() => server.app.server!.views.registry.size === 0, 'the warm-up views to go');
    created = 0;
    cleanedUp = 0;
    peakViews = 0;
    peakSubscriptions = 0;
    peakTimers = 0;
    const rssBefore = (await settleRss(0, 0, 1_000)).rss;
    const before = snapshot();
    const heapBefore = process.memoryUsage().heapUsed / 2 ** 20;
    const externalBefore = process.memoryUsage().external / 2 ** 20;

    const startedAt = performance.now();
    let peakRss = 0;
    const connections = VIEWS / VIEWS_PER_CONNECTION;
    for (let first = 0; first < connections; first += BATCH) {
      await batch(url, cookie, Math.min(BATCH, connections - first), first);
      peakRss = Math.max(peakRss, process.memoryUsage().rss / 2 ** 20);
    }
    const seconds = (performance.now() - startedAt) / 1000;

    await until(
      () => server.app.server!.views.registry.size === 0 && server.app.metrics().connections === 0,
      () => `every view and connection to go (${JSON.stringify(snapshot())})`,
      20_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    collectGarbage();
    const after = snapshot();
    const { rss: rssAfter, ms: settledMs } = await settleRss(rssBefore, RSS_MARGIN_MIB);
    const heapAfter = process.memoryUsage().heapUsed / 2 ** 20;
    const externalAfter = process.memoryUsage().external / 2 ** 20;

    printFigures(`leaks.test.ts — ${VIEWS} views in ${round(seconds)} s`, [
      ['views opened / cleaned up', `${created} / ${cleanedUp}`],
      ['connections (views per connection)', `${connections} (${VIEWS_PER_CONNECTION})`],
      ['most views alive at once', peakViews],
      ['views metrics after', JSON.stringify(after.views)],
      ['registry size before / after', `${before.registry} / ${after.registry}`],
      ['connections before / after', `${before.connections} / ${after.connections}`],
      ['runtime / worker slots after', `${after.runtimeSlots} / ${after.workerSlots}`],
      [
        'channel subscriptions before / peak / after',
        `${before.subscriptions} / ${peakSubscriptions} / ${after.subscriptions}`,
      ],
      ['active timers before / peak / after', `${before.timers} / ${peakTimers} / ${after.timers}`],
      ['TCP sockets before / after', `${before.sockets} / ${after.sockets}`],
      [
        'external memory before / after (MiB)',
        `${round(externalBefore)} / ${round(externalAfter)}`,
      ],
      [
        'heap used before / after (MiB)',
        `${round(heapBefore)} / ${round(heapAfter)} (margin ${HEAP_MARGIN_MIB})`,
      ],
      [
        'RSS before / peak / after (MiB)',
        `${round(rssBefore)} / ${round(peakRss)} / ${round(rssAfter)} (margin ${RSS_MARGIN_MIB}, settled in ${round(settledMs / 1000)} s)`,
      ],
    ]);

    expect(created).toBe(VIEWS);
    expect(cleanedUp).toBe(VIEWS);
    expect(after.views).toEqual({ running: 0, queued: 0, idle: 0, daemon: 0, zombie: 0 });
    expect(after.registry).toBe(0);
    expect(after.connections).toBe(0);
    expect(after.runtimeSlots).toBe(0);
    expect(after.workerSlots).toBe(0);
    expect(after.subscriptions).toBe(before.subscriptions);
    expect(after.timers).toBeLessThanOrEqual(before.timers);
    expect(after.sockets).toBeLessThanOrEqual(before.sockets);
    expect(heapAfter - heapBefore).toBeLessThan(HEAP_MARGIN_MIB);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_MARGIN_MIB);
  }, 180_000);
});
