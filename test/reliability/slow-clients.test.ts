/**
 * Slow readers and half-open sockets (SPEC §4.8). A client that stops reading while its
 * view pushes patches is not buffered for without bound: past MAX_WEBSOCKET_BUFFERED_BYTES
 * it gets no patches, then one full tree when it reads again, and it is closed (1013)
 * when it never does. A client that vanishes without a close frame, or stops answering
 * pings, is ended by the server's pings and its view stopped. Other clients go on as if
 * nothing happened.
 */
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Button, Div, Span, View, type StopReason } from '../../src/index.js';
import { CLOSE_CODE, MESSAGE } from '../../src/protocol/messages.js';
import type { Connection } from '../../src/server/connection.js';
import type { Frame, RawClient } from '../helpers/ws-client.js';
import {
  click,
  nodeIdOf,
  openView,
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
  for (const client of clients.splice(0)) {
    socketOf(client).resume();
    client.close();
  }
  await server?.stop();
  server = undefined;
});

const BUFFER_LIMIT = 64 * 1024;
const BLOB = 16 * 1024;

/** What happened to each view, by the name its tab gave it (`?name=`). */
const lifecycle = new Map<string, { stop?: StopReason; stopped: boolean; cleaned: boolean }>();

/** Pushes a patch of ~16 KiB every few milliseconds until its Halt button is clicked. */
class Ticker extends View {
  tick = 0;
  halted = false;
  override async handleRequest() {
    const count = new Span({ id: 'tick' }, '0');
    const blob = new Div({ id: 'blob' }, '');
    const halt = new Button({ id: 'halt', handleClick: () => void (this.halted = true) }, 'halt');
    const page = new Div(count, halt, blob);
    await this.show(page);
    while (!this.halted) {
      this.tick++;
      count.setText(String(this.tick));
      blob.setText(String(this.tick % 10).repeat(BLOB));
      await this.show();
      await this.sleep(2);
    }
  }
  override onStop(reason: StopReason) {
    const entry = lifecycle.get(this.request.query.name as string);
    if (entry) Object.assign(entry, { stop: reason, stopped: true });
  }
  override onCleanup() {
    const entry = lifecycle.get(this.request.query.name as string);
    if (entry) entry.cleaned = true;
  }
}

/** Idles until its tab goes. */
class Idle extends View {
  override async handleRequest() {
    await this.show(new Div({ id: 'idle' }, 'idle'));
    await new Promise<void>((resolve) => this.signal.addEventListener('abort', () => resolve()));
  }
  override onStop(reason: StopReason) {
    const entry = lifecycle.get(this.request.query.name as string);
    if (entry) Object.assign(entry, { stop: reason, stopped: true });
  }
  override onCleanup() {
    const entry = lifecycle.get(this.request.query.name as string);
    if (entry) entry.cleaned = true;
  }
}

class Counter extends View {
  count = new Span({ id: 'count' }, '0');
  override handleRequest() {
    return new Div(
      this.count,
      new Button(
        { id: 'plus', handleClick: () => this.count.setText(Number(this.count.getText()) + 1) },
        '+',
      ),
    );
  }
}

function socketOf(client: RawClient): Socket {
  return (client.ws as unknown as { _socket: Socket })._socket;
}

/** Opens `path` as a named tab whose server-side connection can be found by that name. */
async function tab(path: string, name: string): Promise<OpenView> {
  lifecycle.set(name, { stopped: false, cleaned: false });
  const sep = path.includes('?') ? '&' : '?';
  const view = await openView(server!.url, `${path}${sep}name=${name}`, {
    headers: { 'x-tab': name },
  });
  clients.push(view.client);
  return view;
}

function connectionOf(name: string): Connection | undefined {
  for (const connection of server!.app.server!.websocket.connections) {
    if (connection.headers['x-tab'] === name) return connection;
  }
  return undefined;
}

/** The tree and patch frames of a tab's view, in arrival order. */
function viewFrames(view: OpenView): Frame[] {
  return view.client.frames.filter(
    (f) => (f[0] === MESSAGE.TREE || f[0] === MESSAGE.PATCHES) && f[1] === view.viewId,
  );
}

/** Sequence numbers that are missing between consecutive frames. */
function gaps(frames: Frame[]): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  for (let i = 1; i < frames.length; i++) {
    const before = frames[i - 1]![2] as number;
    const seq = frames[i]![2] as number;
    if (seq !== before + 1) found.push([before, seq]);
  }
  return found;
}

/** The tick a client shows: the last tree's value, then its patches applied in order. */
function shownTick(view: OpenView, frames: Frame[]): number {
  let textId: string | undefined;
  let tick = -1;
  for (const frame of frames) {
    if (frame[0] === MESSAGE.TREE) {
      textId = textIdOf(frame[3], 'tick');
      const node = frame[3] as unknown[];
      tick = Number(findText(node, textId!));
    } else {
      for (const patch of frame[3] as unknown[][]) {
        if (patch[0] === 'text' && patch[1] === textId) tick = Number(patch[2]);
      }
    }
  }
  return tick;
}

function findText(node: unknown, id: string): string | undefined {
  const tuple = node as unknown[];
  if (tuple[0] === 0) return tuple[1] === id ? (tuple[2] as string) : undefined;
  if (tuple[0] !== 1) return undefined;
  for (const child of tuple[4] as unknown[]) {
    const found = findText(child, id);
    if (found !== undefined) return found;
  }
  return undefined;
}

describe('a slow reader', () => {
  it('gets no patches past the buffer limit, one full tree when it reads again, and costs the others nothing', async () => {
    server = await startServer(
      (app) => {
        app.route('/ticker', Ticker);
        app.route('/counter', Counter);
      },
      { settings: { MAX_WEBSOCKET_BUFFERED_BYTES: BUFFER_LIMIT, SLOW_CLIENT_TIMEOUT_MS: 60_000 } },
    );
    const slow = await tab('/ticker', 'slow');
    const steady = await tab('/ticker', 'steady');
    const counter = await tab('/counter', 'counter');
    await slow.client.next((f) => f[0] === MESSAGE.PATCHES && (f[2] as number) > 5);
    const connection = connectionOf('slow')!;

    // The slow reader stops reading; the server's buffer for it may grow only to the limit
    // (plus the frame that crossed it), however long its view keeps pushing.
    const framesBeforePause = viewFrames(slow).length;
    socketOf(slow.client).pause();
    let maxBuffered = 0;
    const sample = setInterval(() => {
      maxBuffered = Math.max(maxBuffered, connection.socket.bufferedAmount);
    }, 5);
    await until(
      () => connection.socket.bufferedAmount > BUFFER_LIMIT,
      () => `the server to buffer past the limit (at ${connection.socket.bufferedAmount})`,
      30_000,
    );
    const crossed = connection.socket.bufferedAmount;
    const pausedAt = performance.now();
    // While it is behind, the others go on: the steady ticker and a counter.
    const steadyBefore = viewFrames(steady).length;
    for (let i = 1; i <= 5; i++)
      expect((await click(counter, nodeIdOf(counter.tree[3], 'plus')!, i)).done[4]).toBeUndefined();
    await until(() => viewFrames(steady).length > steadyBefore + 50, 'the steady ticker to go on');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bufferedWhileBehind = connection.socket.bufferedAmount;
    clearInterval(sample);
    const behindMs = performance.now() - pausedAt;

    // It reads again: what was buffered, then one full tree, then patches from there on.
    socketOf(slow.client).resume();
    await slow.client.next((f) => f[0] === MESSAGE.TREE && f[1] === slow.viewId, {
      from: slow.client.frames.findIndex((f) => f[0] === MESSAGE.TREE) + 1,
      timeoutMs: 15_000,
    });
    const afterPause = viewFrames(slow).slice(framesBeforePause);
    const treeIndex = afterPause.findIndex((f) => f[0] === MESSAGE.TREE);
    const beforeTree = afterPause.slice(0, treeIndex);
    const tree = afterPause[treeIndex]!;
    // Patches flow again from the tree's sequence number on.
    await slow.client.next(
      (f) => f[0] === MESSAGE.PATCHES && (f[2] as number) >= (tree[2] as number) + 20,
      { timeoutMs: 15_000 },
    );

    // Stop both tickers and compare what each tab shows with what its view holds.
    await click(slow, nodeIdOf(slow.tree[3], 'halt')!, 1, 15_000);
    await click(steady, nodeIdOf(steady.tree[3], 'halt')!, 1, 15_000);
    const slowRuntime = server.app.server!.views.shownBy(connection)!;
    const serverTick = (slowRuntime.view as Ticker).tick;
    const steadyRuntime = server.app.server!.views.shownBy(connectionOf('steady')!)!;
    const steadyTick = (steadyRuntime.view as Ticker).tick;
    const slowFrames = viewFrames(slow);
    const afterTree = slowFrames.slice(slowFrames.indexOf(tree));

    printFigures('slow-clients.test.ts — slow reader', [
      ['MAX_WEBSOCKET_BUFFERED_BYTES', BUFFER_LIMIT],
      ['patch size (bytes)', `~${BLOB}`],
      ['server buffer when the limit was crossed', crossed],
      ['server buffer, most seen while behind', maxBuffered],
      ['server buffer after ~' + round(behindMs / 1000) + ' s behind', bufferedWhileBehind],
      ['frames read after resuming, before the tree', beforeTree.length],
      ['sequence numbers skipped (no patches sent)', `${beforeTree.at(-1)?.[2]} → ${tree[2]}`],
      ['patches after the tree, in order, until halted', afterTree.length - 1],
      ['slow tab shows / its view holds', `${shownTick(slow, afterTree)} / ${serverTick}`],
      [
        'steady tab gaps / shows / holds',
        `${gaps(viewFrames(steady)).length} / ${shownTick(steady, viewFrames(steady))} / ${steadyTick}`,
      ],
    ]);

    expect(maxBuffered).toBeLessThanOrEqual(BUFFER_LIMIT + 2 * BLOB);
    expect(bufferedWhileBehind).toBeLessThanOrEqual(crossed);
    expect(gaps(beforeTree)).toEqual([]); // what was sent arrives in order
    expect(tree[2] as number).toBeGreaterThan((beforeTree.at(-1)![2] as number) + 1);
    expect(gaps(afterTree)).toEqual([]);
    expect(shownTick(slow, afterTree)).toBe(serverTick);
    expect(gaps(viewFrames(steady))).toEqual([]);
    expect(viewFrames(steady).filter((f) => f[0] === MESSAGE.TREE)).toHaveLength(1);
    expect(shownTick(steady, viewFrames(steady))).toBe(steadyTick);
    expect(lifecycle.get('slow')!.cleaned).toBe(false);
  });

  it('is closed with 1013 after SLOW_CLIENT_TIMEOUT_MS when it never reads again, and its view stops', async () => {
    const TIMEOUT = 500;
    server = await startServer(
      (app) => {
        app.route('/ticker', Ticker);
        app.route('/counter', Counter);
      },
      { settings: { MAX_WEBSOCKET_BUFFERED_BYTES: BUFFER_LIMIT, SLOW_CLIENT_TIMEOUT_MS: TIMEOUT } },
    );
    const stuck = await tab('/ticker', 'stuck');
    const counter = await tab('/counter', 'counter');
    await stuck.client.next((f) => f[0] === MESSAGE.PATCHES);
    const connection = connectionOf('stuck')!;
    const codes: number[] = [];
    const close = connection.socket.close.bind(connection.socket);
    connection.socket.close = (code?: number, reason?: string | Buffer) => {
      if (code !== undefined) codes.push(code);
      close(code, reason);
    };
    socketOf(stuck.client).pause();
    await until(
      () => connection.socket.bufferedAmount > BUFFER_LIMIT,
      'the server to buffer past the limit',
      30_000,
    );
    const behindSince = performance.now();
    // Falling behind alone does not close it: it gets SLOW_CLIENT_TIMEOUT_MS to catch up.
    const openWhenBehind = !connection.closed && !lifecycle.get('stuck')!.stopped;
    await until(() => lifecycle.get('stuck')!.cleaned, 'the stuck view to be removed', 15_000);
    const closedAfter = performance.now() - behindSince;
    const connections = server.app.metrics().connections;
    const { done } = await click(counter, nodeIdOf(counter.tree[3], 'plus')!, 1);

    printFigures('slow-clients.test.ts — a reader that never drains', [
      ['SLOW_CLIENT_TIMEOUT_MS', TIMEOUT],
      ['closed after falling behind (ms)', round(closedAfter, 0)],
      ['close code the server sent', codes.join(', ')],
      ['its view stopped with', lifecycle.get('stuck')!.stop?.name ?? 'nothing'],
      ['connections left', connections],
    ]);

    expect(codes).toEqual([CLOSE_CODE.TRY_LATER]);
    expect(openWhenBehind).toBe(true);
    expect(lifecycle.get('stuck')!.stop?.name).toBe('UserAbort');
    expect(connections).toBe(1);
    expect(done[4]).toBeUndefined();
    await ping(counter.client);
  });
});

describe('half-open sockets', () => {
  it('are ended by the server pings and their views stopped, while a live idle tab stays', async () => {
    const INTERVAL = 200;
    server = await startServer(
      (app) => {
        app.route('/idle', Idle);
      },
      { settings: { WEBSOCKET_PING_INTERVAL_MS: INTERVAL } },
    );
    const vanished = await tab('/idle', 'vanished');
    const silent = await tab('/idle', 'silent');
    const healthy = await tab('/idle', 'healthy');
    expect(server.app.metrics().connections).toBe(3);

    // One tab's socket is destroyed without a close frame; another stops answering pings.
    const started = performance.now();
    socketOf(vanished.client).destroy();
    socketOf(silent.client).pause();
    await until(
      () => lifecycle.get('vanished')!.cleaned,
      'the vanished tab to be cleaned up',
      10_000,
    );
    const vanishedMs = performance.now() - started;
    await until(() => lifecycle.get('silent')!.cleaned, 'the silent tab to be cleaned up', 10_000);
    const silentMs = performance.now() - started;
    // The healthy tab answers every ping (ws does it) and lives through many intervals.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 5));
    await ping(healthy.client);

    printFigures('slow-clients.test.ts — half-open sockets', [
      ['WEBSOCKET_PING_INTERVAL_MS', INTERVAL],
      ['destroyed socket: view removed after (ms)', round(vanishedMs, 0)],
      ['silent socket: view removed after (ms)', round(silentMs, 0)],
      [
        'their stop reasons',
        `${lifecycle.get('vanished')!.stop?.name} / ${lifecycle.get('silent')!.stop?.name}`,
      ],
      ['healthy tab after 5 intervals', lifecycle.get('healthy')!.stopped ? 'stopped' : 'alive'],
      ['connections left', server.app.metrics().connections],
    ]);

    expect(lifecycle.get('vanished')!.stop?.name).toBe('UserAbort');
    expect(lifecycle.get('silent')!.stop?.name).toBe('UserAbort');
    expect(silentMs).toBeGreaterThanOrEqual(INTERVAL); // it took pings, not a close
    expect(lifecycle.get('healthy')).toEqual({ stopped: false, cleaned: false });
    expect(server.app.metrics().connections).toBe(1);
    expect(server.app.metrics().views.running).toBe(1);
  });
});
