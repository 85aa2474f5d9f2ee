/**
 * Floods (SPEC §4.4, §4.8, §8): a client that sends input events as fast as it can is
 * closed with 4002 while fifty others keep working; ten thousand connection attempts in
 * bursts are each accepted or refused with a clean 1013 past MAX_CONNECTIONS; many
 * oversized frames and bodies at once get 1009 and 413. In every case the server keeps
 * serving and the well-behaved clients lose nothing.
 */
import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { Button, Div, Span, View, type StopReason } from '../../src/index.js';
import {
  CLOSE_CODE,
  MESSAGE,
  PROTOCOL_VERSION,
  WEBSOCKET_PATH,
} from '../../src/protocol/messages.js';
import { sessionCookie, type RawClient } from '../helpers/ws-client.js';
import {
  click,
  directUrl,
  nodeIdOf,
  openView,
  percentile,
  ping,
  printFigures,
  round,
  startServer,
  textIdOf,
  until,
  type OpenView,
  type ReliableServer,
} from './support.js';

// Generous bounds: these are about not hanging on a loaded machine, not about speed.
vi.setConfig({ testTimeout: 90_000 });

let server: ReliableServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});

/** Views removed (onCleanup), with their stop reason. */
const removed: StopReason[] = [];

/** A counter whose click handler awaits a little I/O, as real handlers do. */
class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      this.count,
      new Button(
        {
          id: 'plus',
          handleClick: async () => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            this.count.setText(Number(this.count.getText()) + 1);
          },
        },
        '+',
      ),
    );
  }
  reason: StopReason;
  override onStop(reason: StopReason) {
    this.reason = reason;
  }
  override onCleanup() {
    removed.push(this.reason);
  }
}

/** The last value the client saw for the count (its patches applied in order). */
function shownCount(view: OpenView): number {
  const textId = textIdOf(view.tree[3], 'count');
  let count = 0;
  for (const frame of view.client.frames) {
    if (frame[0] !== MESSAGE.PATCHES || frame[1] !== view.viewId) continue;
    for (const patch of frame[3] as unknown[][]) {
      if (patch[0] === 'text' && patch[1] === textId) count = Number(patch[2]);
    }
  }
  return count;
}

describe('an input flood', () => {
  it('closes a client flooding input events with 4002, every time it comes back, while fifty others finish every click', async () => {
    server = await startServer((app) => app.route('/counter', Counter));
    const url = server.url;
    const CLIENTS = 50;
    const CLICKS = 20;
    const others: OpenView[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const view = await openView(url, '/counter');
      clients.push(view.client);
      others.push(view);
    }
    removed.length = 0;

    // The flood: a client sends events in a tight loop, never waiting for an answer; when it
    // is closed it comes back and floods again, for as long as the others are clicking.
    let clicking = true;
    let flooded = 0;
    const floodCloses = new Map<number, number>();
    const flood = async (): Promise<void> => {
      const flooder = await openView(url, '/counter');
      clients.push(flooder.client);
      const plus = nodeIdOf(flooder.tree[3], 'plus')!;
      for (let id = 1; flooder.client.ws.readyState === WebSocket.OPEN;) {
        for (const end = id + 100; id < end; id++, flooded++) {
          flooder.client.send([MESSAGE.INPUT_EVENT, flooder.viewId, id, 'click', plus, null, {}]);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { code } = await flooder.client.closed;
      floodCloses.set(code, (floodCloses.get(code) ?? 0) + 1);
    };
    const flooding = (async () => {
      while (clicking) await flood();
    })();

    // Meanwhile every other client clicks, one click after the other.
    const roundTrips: number[] = [];
    const failures: unknown[] = [];
    const started = performance.now();
    await Promise.all(
      others.map(async (view) => {
        const plus = nodeIdOf(view.tree[3], 'plus')!;
        for (let i = 1; i <= CLICKS; i++) {
          const { done, ms } = await click(view, plus, i, 30_000);
          roundTrips.push(ms);
          if (done[4] !== undefined) failures.push(done);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    clicking = false;
    await flooding;
    const counts = others.map(shownCount);
    const httpStatus = (await fetch(`${url}/counter`)).status;
    const floods = [...floodCloses.values()].reduce((a, b) => a + b, 0);
    await until(() => removed.length >= floods, 'the flooding views to be removed');

    printFigures('floods.test.ts — input flood', [
      ['flood events sent', flooded],
      [
        'flooding connections, by close code',
        [...floodCloses].map(([c, n]) => `${c}×${n}`).join(' '),
      ],
      ['other clients × clicks', `${CLIENTS} × ${CLICKS} = ${CLIENTS * CLICKS}`],
      ['clicks done / lost', `${roundTrips.length - failures.length} / ${failures.length}`],
      [
        'click round trip p50 / p99 (ms)',
        `${round(percentile(roundTrips, 50))} / ${round(percentile(roundTrips, 99))}`,
      ],
      ['duration (s)', round(seconds)],
    ]);

    expect([...floodCloses.keys()]).toEqual([CLOSE_CODE.INPUT_FLOOD]);
    expect(failures).toEqual([]);
    expect(roundTrips).toHaveLength(CLIENTS * CLICKS);
    expect(counts).toEqual(others.map(() => CLICKS));
    // handleRequest returned long ago (onStop(undefined)); only the flooders' views are gone.
    expect(removed).toEqual([...Array(floods)].map(() => undefined));
    expect(server.app.metrics().views.idle).toBe(CLIENTS);
    expect(httpStatus).toBe(200);
    for (const view of others) await ping(view.client);
  });
});

/** One WebSocket attempt: accepted (it answers a ping), refused (closed), or an error. */
function attempt(
  wsUrl: string,
  cookie: string,
  origin: string,
): Promise<
  | { outcome: 'accepted'; ws: WebSocket }
  | { outcome: 'closed'; code: number }
  | { outcome: 'error'; error: string }
> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { headers: { cookie }, origin });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ outcome: 'error', error: 'no answer in 20 s' });
    }, 20_000);
    let error = '';
    ws.on('open', () => ws.send(JSON.stringify([MESSAGE.PING, 1])));
    ws.on('message', (data) => {
      if (String(data).startsWith(`["${MESSAGE.PONG}"`)) {
        clearTimeout(timer);
        resolve({ outcome: 'accepted', ws });
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      error = `HTTP ${res.statusCode}`;
      ws.terminate();
    });
    ws.on('error', (e) => (error ||= e.message));
    ws.on('close', (code) => {
      clearTimeout(timer);
      resolve(error ? { outcome: 'error', error } : { outcome: 'closed', code });
    });
  });
}

describe('a connection burst', () => {
  it('answers 10,000 attempts: each accepted or refused with a clean 1013, and keeps serving', async () => {
    const MAX = 500;
    const ATTEMPTS = 10_000;
    const BATCH = 500;
    server = await startServer((app) => app.route('/counter', Counter), {
      settings: { MAX_CONNECTIONS: MAX },
    });
    const app = server.app;
    const cookie = await sessionCookie(server.url);
    const direct = directUrl(app);
    const wsUrl = `${direct.replace(/^http/, 'ws')}${WEBSOCKET_PATH}?v=${PROTOCOL_VERSION}`;
    const held: WebSocket[] = [];
    let accepted = 0;
    const closes = new Map<number, number>();
    const errors: string[] = [];
    let maxConnections = 0;
    const started = performance.now();
    for (let done = 0; done < ATTEMPTS; done += BATCH) {
      const results = await Promise.all(
        Array.from({ length: BATCH }, () => attempt(wsUrl, cookie, direct)),
      );
      for (const result of results) {
        if (result.outcome === 'accepted') {
          accepted++;
          held.push(result.ws);
        } else if (result.outcome === 'closed') {
          closes.set(result.code, (closes.get(result.code) ?? 0) + 1);
        } else errors.push(result.error);
      }
      maxConnections = Math.max(maxConnections, app.metrics().connections);
      // Half the open sockets leave, so that later bursts find room again.
      for (const ws of held.splice(0, Math.ceil(held.length / 2))) ws.close();
    }
    const seconds = (performance.now() - started) / 1000;

    // Still serving: HTTP, and a view on a fresh connection once there is room.
    const httpStatus = (await fetch(`${server.url}/counter`)).status;
    for (const ws of held.splice(0)) ws.close();
    await until(() => app.metrics().connections === 0, 'every socket to be gone');
    const view = await openView(server.url, '/counter', { cookie });
    clients.push(view.client);
    const { done } = await click(view, nodeIdOf(view.tree[3], 'plus')!, 1);

    printFigures('floods.test.ts — connection burst', [
      ['connection attempts', ATTEMPTS],
      ['batch size / MAX_CONNECTIONS', `${BATCH} / ${MAX}`],
      ['accepted', accepted],
      ['refused, by close code', [...closes].map(([c, n]) => `${c}×${n}`).join(' ') || 'none'],
      ['errors (no clean answer)', errors.length],
      ['error kinds', [...new Set(errors)].slice(0, 5).join(' | ') || 'none'],
      ['most connections seen at once', maxConnections],
      ['duration (s)', round(seconds)],
    ]);

    expect(errors.slice(0, 5)).toEqual([]);
    expect([...closes.keys()]).toEqual([CLOSE_CODE.TRY_LATER]);
    expect(accepted + (closes.get(CLOSE_CODE.TRY_LATER) ?? 0)).toBe(ATTEMPTS);
    expect(accepted).toBeGreaterThan(MAX);
    expect(maxConnections).toBeLessThanOrEqual(MAX);
    expect(httpStatus).toBe(200);
    expect(done[4]).toBeUndefined();
  }, 180_000);
});

/** A POST with a body of `size` bytes, declared or chunked; the status, or 'reset'. */
function post(url: string, size: number, chunked: boolean): Promise<number | 'reset'> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-type': 'text/plain' };
    if (!chunked) headers['content-length'] = size;
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve('reset'));
    const chunk = Buffer.alloc(16 * 1024, 'x');
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('oversized input, many at once', () => {
  it('closes fifty sockets sending oversized frames with 1009 and answers fifty oversized bodies with 413', async () => {
    const FRAME_LIMIT = 64 * 1024;
    const BODY_LIMIT = 64 * 1024;
    server = await startServer(
      (app) => {
        app.route('/counter', Counter);
        app.route(
          '/upload',
          class extends View {
            override handleRequest() {
              return `got ${this.request.body?.length ?? 0} bytes`;
            }
          },
          { interactive: false },
        );
      },
      { settings: { MAX_WEBSOCKET_MESSAGE_BYTES: FRAME_LIMIT, MAX_HTTP_BODY_BYTES: BODY_LIMIT } },
    );
    const url = server.url;
    const cookie = await sessionCookie(url);
    const witness = await openView(url, '/counter', { cookie });
    clients.push(witness.client);
    const plus = nodeIdOf(witness.tree[3], 'plus')!;

    const senders: OpenView[] = [];
    for (let i = 0; i < 50; i++) {
      const view = await openView(url, '/counter', { cookie });
      clients.push(view.client);
      senders.push(view);
    }
    const big = JSON.stringify([MESSAGE.CUSTOM, null, 'x'.repeat(FRAME_LIMIT + 1024)]);
    for (const sender of senders) sender.client.sendRaw(big);
    const frameCodes = await Promise.all(senders.map((s) => s.client.closed.then((c) => c.code)));
    const clickAfterFrames = await click(witness, plus, 1);

    const declared = Array.from({ length: 50 }, () => post(`${url}/upload`, BODY_LIMIT * 4, false));
    const chunked = Array.from({ length: 20 }, () => post(`${url}/upload`, BODY_LIMIT * 4, true));
    const bodyStatuses = await Promise.all([...declared, ...chunked]);
    const small = await post(`${url}/upload`, 1000, false);
    const clickAfterBodies = await click(witness, plus, 2);

    const tally = (values: Array<number | string>) =>
      [
        ...values.reduce(
          (m, v) => m.set(v, (m.get(v) ?? 0) + 1),
          new Map<number | string, number>(),
        ),
      ]
        .map(([v, n]) => `${v}×${n}`)
        .join(' ');
    printFigures('floods.test.ts — oversized frames and bodies', [
      ['oversized frames sent at once', senders.length],
      ['their close codes', tally(frameCodes)],
      ['oversized bodies (declared length / chunked)', `${declared.length} / ${chunked.length}`],
      ['their statuses', tally(bodyStatuses)],
      ['a small body afterwards', small],
      [
        'witness clicks lost',
        [clickAfterFrames, clickAfterBodies].filter((c) => c.done[4] !== undefined).length,
      ],
    ]);

    expect(frameCodes).toEqual(senders.map(() => CLOSE_CODE.TOO_BIG));
    expect(bodyStatuses).toEqual(bodyStatuses.map(() => 413));
    expect(small).toBe(200);
    expect(clickAfterFrames.done[4]).toBeUndefined();
    expect(clickAfterBodies.done[4]).toBeUndefined();
    expect(shownCount(witness)).toBe(2);
  });
});
