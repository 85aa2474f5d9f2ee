/**
 * Shared pieces of the reliability suites (SPEC §4.4, §4.8, §8): a server whose log is
 * counted rather than kept (ten thousand views would otherwise fill memory with debug
 * lines), watchers for uncaught exceptions and unhandled rejections, memory and timer
 * figures, a table printer for the figures each suite reports, and small helpers for
 * driving views with raw protocol frames.
 */
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { App, type AppOptions } from '../../src/app.js';
import { Logger, type LogLevel } from '../../src/internal/logger.js';
import { MESSAGE } from '../../src/protocol/messages.js';
import { connect, type Frame, type RawClient } from '../helpers/ws-client.js';

// --- a server with a counting logger ------------------------------------------------------------

export interface LogCounter {
  /** Lines per level. */
  readonly levels: Record<string, number>;
  /** The last lines (at most 300), for failure messages. */
  readonly recent: string[];
  /** Error lines (at most 500), for assertions and failure messages. */
  readonly errors: string[];
  /**
   * How many lines contained `text`: exactly, for every line, when `text` was watched;
   * otherwise among the first 2,000 lines only.
   */
  count(text: string): number;
}

export interface ReliableServer {
  app: App;
  url: string;
  log: LogCounter;
  stop(): Promise<void>;
}

/** A logger that counts its lines and keeps only a few of them; `watched` fragments are counted exactly. */
export function countingLogger(level: LogLevel = 'debug', watched: string[] = []) {
  const levels: Record<string, number> = {};
  const recent: string[] = [];
  const errors: string[] = [];
  const counts = new Map<string, number>();
  const firstLines: string[] = [];
  const log: LogCounter = {
    levels,
    recent,
    errors,
    count(text: string) {
      const known = counts.get(text);
      if (known !== undefined) return known;
      return firstLines.filter((line) => line.includes(text)).length;
    },
  };
  const logger = new Logger({
    level,
    sink: (lineLevel, message) => {
      levels[lineLevel] = (levels[lineLevel] ?? 0) + 1;
      recent.push(`${lineLevel}: ${message}`);
      if (recent.length > 300) recent.shift();
      if (lineLevel === 'error' && errors.length < 500) errors.push(message);
      for (const text of watched) {
        if (message.includes(text)) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      if (firstLines.length < 2_000) firstLines.push(message);
    },
  });
  for (const text of watched) counts.set(text, 0);
  return { logger, log };
}

/**
 * Starts an app on a free port with a counting logger. `watch` lists log fragments to
 * count exactly (codes like LONA_WARN_PROTOCOL_BAD_MESSAGE), however many lines there are.
 */
export async function startServer(
  setup: (app: App) => void,
  options: Omit<AppOptions, 'logger'> & { logLevel?: LogLevel; watch?: string[] } = {},
): Promise<ReliableServer> {
  const { logLevel, watch, ...appOptions } = options;
  const { logger, log } = countingLogger(logLevel ?? 'info', watch ?? []);
  const app = new App({ ...appOptions, logger });
  setup(app);
  const url = await app.start({ port: 0 });
  return { app, url, log, stop: () => app.stop({ timeoutMs: 1_000 }) };
}

/**
 * `http://<address>:<port>` of the bound socket: clients that connect thousands of times
 * skip resolving `localhost` (and trying the other address family) every time.
 */
export function directUrl(app: App): string {
  const address = app.server!.nodeServer.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

// --- process health ----------------------------------------------------------------------------

/** Counts uncaught exceptions and unhandled rejections from now until `dispose()`. */
export function watchProcess(): {
  readonly uncaught: unknown[];
  readonly unhandled: unknown[];
  dispose(): void;
} {
  const uncaught: unknown[] = [];
  const unhandled: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUnhandled);
  return {
    uncaught,
    unhandled,
    dispose() {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUnhandled);
    },
  };
}

// --- memory and timers -------------------------------------------------------------------------

let gcFunction: (() => void) | null | undefined;

/**
 * Runs a full garbage collection when V8 lets us (the flag is switched on at run time, so
 * no `--expose-gc` is needed); returns false when it could not.
 */
export function collectGarbage(): boolean {
  if (gcFunction === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gcFunction = runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null;
    }
  }
  if (!gcFunction) return false;
  gcFunction();
  gcFunction();
  return true;
}

/** Resident set size in MiB, after a GC when one is available. */
export async function settledRssMiB(): Promise<number> {
  // Let sockets and timers that are closing finish before measuring.
  await new Promise((resolve) => setTimeout(resolve, 50));
  collectGarbage();
  return process.memoryUsage().rss / 1024 / 1024;
}

/**
 * RSS in MiB once freed memory went back to the system (closed sockets, V8's memory
 * reducer): collects garbage every 250 ms until RSS is within `margin` of `baseline` or
 * `maxMs` passed, and says how long that took.
 */
export async function settleRss(
  baseline: number,
  margin: number,
  maxMs = 5_000,
): Promise<{ rss: number; ms: number }> {
  const started = performance.now();
  let rss = await settledRssMiB();
  while (rss - baseline >= margin && performance.now() - started < maxMs) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    collectGarbage();
    rss = process.memoryUsage().rss / 2 ** 20;
  }
  return { rss, ms: performance.now() - started };
}

/** How many active resources of one type (`Timeout`, `TCPSocketWrap`, ...) the process holds. */
export function activeResources(type: string): number {
  return process.getActiveResourcesInfo().filter((name) => name === type).length;
}

// --- figures -------------------------------------------------------------------------------------

/** Prints a two-column table of figures, so that each suite's numbers show in the test output. */
export function printFigures(title: string, rows: Array<[string, string | number]>): void {
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`);
  console.log(`\n${title}\n${lines.join('\n')}\n`);
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const round = (n: number, digits = 1): string => n.toFixed(digits);

// --- driving views with raw frames ---------------------------------------------------------------

/** Finds the node id of the element with HTML id `htmlId` in a serialized tree. */
export function nodeIdOf(node: unknown, htmlId: string): string | undefined {
  const tuple = node as [number, string, string, Record<string, string>, unknown[]];
  if (tuple[0] !== 1) return undefined;
  if (tuple[3].id === htmlId) return tuple[1];
  for (const child of tuple[4]) {
    const found = nodeIdOf(child, htmlId);
    if (found) return found;
  }
  return undefined;
}

/** The id of the first text node inside the element with HTML id `htmlId`. */
export function textIdOf(node: unknown, htmlId: string): string | undefined {
  const tuple = node as [number, string, string, Record<string, string>, unknown[]];
  if (tuple[0] !== 1) return undefined;
  if (tuple[3].id === htmlId) return (tuple[4][0] as [number, string] | undefined)?.[1];
  for (const child of tuple[4]) {
    const found = textIdOf(child, htmlId);
    if (found) return found;
  }
  return undefined;
}

/** Every element node id of a serialized tree. */
export function allNodeIds(node: unknown, out: string[] = []): string[] {
  const tuple = node as [number, string, string, Record<string, string>, unknown[]];
  out.push(tuple[1]);
  if (tuple[0] === 1) for (const child of tuple[4]) allNodeIds(child, out);
  return out;
}

export interface OpenView {
  client: RawClient;
  viewId: string;
  tree: Frame;
}

/** Starts the view of `path` on `client` and waits for its first tree. */
export async function startView(
  client: RawClient,
  url: string,
  path: string,
  timeoutMs = 5_000,
): Promise<{ viewId: string; tree: Frame }> {
  const from = client.frames.length;
  client.send([MESSAGE.VIEW_START, url + path]);
  const started = await client.next((f) => f[0] === MESSAGE.VIEW_STARTED, { from, timeoutMs });
  const viewId = started[1] as string;
  const tree = await client.next((f) => f[0] === MESSAGE.TREE && f[1] === viewId, {
    from,
    timeoutMs,
  });
  return { viewId, tree };
}

/** Connects (with `cookie`, so no page load is needed) and starts the view of `path`. */
export async function openView(
  url: string,
  path: string,
  options: { cookie?: string; headers?: Record<string, string> } = {},
): Promise<OpenView> {
  const client = await connect(url, { cookie: options.cookie, headers: options.headers });
  const { viewId, tree } = await startView(client, url, path);
  return { client, viewId, tree };
}

/** Clicks a node and resolves with its `done` frame and the round trip in ms. */
export async function click(
  view: OpenView,
  nodeId: string,
  eventId: number,
  timeoutMs = 10_000,
): Promise<{ done: Frame; ms: number }> {
  const started = performance.now();
  const from = view.client.frames.length;
  view.client.send([MESSAGE.INPUT_EVENT, view.viewId, eventId, 'click', nodeId, nodeId, {}]);
  const done = await view.client.next((f) => f[0] === MESSAGE.DONE && f[2] === eventId, {
    from,
    timeoutMs,
  });
  return { done, ms: performance.now() - started };
}

/** Sends a ping and waits for its pong: the connection still answers. */
export async function ping(client: RawClient, timeoutMs = 5_000): Promise<void> {
  const nonce = Math.floor(Math.random() * 1e9);
  const from = client.frames.length;
  client.send([MESSAGE.PING, nonce]);
  await client.next((f) => f[0] === MESSAGE.PONG && f[1] === nonce, { from, timeoutMs });
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  what: string | (() => string),
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${typeof what === 'string' ? what : what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
