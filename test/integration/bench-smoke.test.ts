/**
 * The benchmark suite still works: bench/app.ts's app runs in-process, and the load
 * client of bench/load/ drives a few clicks of W1 (and its echo baseline), the page of W2,
 * a few views of W3, clock ticks of W4 (with and without a saturated runtime pool) and a
 * fan-out of W5 (and of W6: two apps sharing a real redis-server), checking what comes back. Correctness only: no timing assertions (the
 * figures come from `npm run bench`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/index.js';
import { createBenchApp } from '../../bench/app.js';
import { startEchoServer, type EchoServer } from '../../bench/baselines/ws-echo.js';
import { createHelloServer } from '../../bench/baselines/http-hello.js';
import { HELLO_PAGE } from '../../bench/baselines/hello-page.js';
import {
  TickRecorder,
  ViewGroup,
  runBroadcast,
  runClicks,
  runFanout,
} from '../../bench/load/scenarios.js';
import type { AddressInfo } from 'node:net';
import { RedisServer, findRedisServer } from '../helpers/redis-server.js';

async function startBenchApp(settings = {}): Promise<{ app: App; url: string }> {
  const app = createBenchApp(settings);
  app.logger.level = 'error';
  const url = await app.start({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

let app: App;
let url: string;
let echo: EchoServer;

beforeAll(async () => {
  ({ app, url } = await startBenchApp());
  echo = await startEchoServer();
});

afterAll(async () => {
  await app.stop({ timeoutMs: 1_000 });
  await echo.close();
});

describe('the benchmark app and load client', () => {
  it('W1: every click of every client increments its own counter', async () => {
    const result = await runClicks({
      url,
      target: 'lona',
      clients: 3,
      clicks: 5,
      warmupClicks: 2,
    });
    expect(result.errors).toEqual([]);
    expect(result.clicks).toBe(15);
    expect(result.latency.count).toBe(15);
  });

  it('W1 baseline: the echo server answers every round trip', async () => {
    const result = await runClicks({
      url: echo.url,
      target: 'echo',
      clients: 2,
      clicks: 4,
      warmupClicks: 1,
    });
    expect(result.errors).toEqual([]);
    expect(result.latency.count).toBe(8);
  });

  it('W2: /hello and the node:http baseline serve the same page', async () => {
    const hello = createHelloServer();
    await new Promise<void>((resolve) => hello.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hello.address() as AddressInfo;
      const [fromApp, fromBaseline] = await Promise.all([
        fetch(`${url}/hello`).then((res) => res.text()),
        fetch(`http://127.0.0.1:${port}/`).then((res) => res.text()),
      ]);
      expect(fromApp).toBe(HELLO_PAGE);
      expect(fromBaseline).toBe(HELLO_PAGE);
    } finally {
      hello.closeAllConnections();
      hello.close();
    }
  });

  it('W3: idle views open, stay open and are counted by the server', async () => {
    const group = new ViewGroup();
    try {
      const result = await group.open({
        url,
        path: '/idle',
        count: 20,
        concurrency: 8,
        expectId: 'status',
      });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ requested: 20, opened: 20, busy: 0, failed: 0 });
      expect(group.alive('status')).toBe(20);
      const metrics = (await (await fetch(`${url}/_bench/metrics`)).json()) as {
        metrics: { views: { idle: number }; connections: number };
      };
      expect(metrics.metrics.views.idle).toBe(20);
      expect(metrics.metrics.connections).toBe(20);
    } finally {
      await group.close();
    }
    await expect.poll(() => app.metrics().connections).toBe(0);
  });

  it('W4: clock views tick and every tick is a patch in sequence', async () => {
    const group = new ViewGroup();
    try {
      await group.open({ url, path: '/clock', count: 3, concurrency: 3, expectId: 'clock' });
      const recorder = new TickRecorder();
      recorder.start(group.sockets);
      await expect
        .poll(() => group.sockets.every((socket) => socket.seq >= 3), { timeout: 10_000 })
        .toBe(true);
      const ticks = recorder.stop();
      expect(ticks.errors).toEqual([]);
      expect(ticks.views).toBe(3);
      expect(ticks.silentViews).toBe(0);
    } finally {
      await group.close();
    }
  });

  it('W4 saturated: views beyond MAX_RUNTIME_THREADS wait for a slot, then run', async () => {
    const small = await startBenchApp({ MAX_RUNTIME_THREADS: 2 });
    const group = new ViewGroup();
    try {
      const result = await group.open({
        url: small.url,
        path: '/clock',
        count: 4,
        concurrency: 4,
        expectId: 'clock',
        limitUntil: 'started',
        holdMs: 200,
      });
      expect(result.errors).toEqual([]);
      expect(result).toMatchObject({ opened: 4, busy: 0, failed: 0 });
      expect(small.app.metrics().pools.runtime.admitted).toBe(4);
    } finally {
      await group.close();
      await small.app.stop({ timeoutMs: 1_000 });
    }
  });

  it('W5: every subscriber shows every seq, in order', async () => {
    const result = await runFanout({ url, subscribers: 5, messages: 3, warmupMessages: 1 });
    expect(result.errors).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.messages).toBe(3);
  });

  it('W5 floor: the bare ws broadcast reaches every socket, in order', async () => {
    const result = await runBroadcast({
      url: echo.url,
      subscribers: 5,
      messages: 3,
      warmupMessages: 1,
    });
    expect(result.errors).toEqual([]);
    expect(result.complete).toBe(true);
  });
});

describe.skipIf(findRedisServer() === undefined)('W6 with a real redis-server', () => {
  it('subscribers spread over two apps sharing Redis each show every seq, in order', async () => {
    const redis = await RedisServer.start();
    const settings = { CHANNEL_BROKER: redis.url };
    const a = await startBenchApp(settings);
    const b = await startBenchApp(settings);
    try {
      const result = await runFanout({
        url: a.url,
        subscriberUrls: [a.url, b.url],
        subscribers: 6,
        messages: 3,
        warmupMessages: 1,
      });
      expect(result.errors).toEqual([]);
      expect(result.complete).toBe(true);
      expect(result.messages).toBe(3);
    } finally {
      await Promise.all([a.app.stop({ timeoutMs: 1_000 }), b.app.stop({ timeoutMs: 1_000 })]);
      await redis.stop();
    }
  });
});
