/**
 * The load of each workload, as functions of one process: click round trips (W1, lona-ts
 * and the echo baseline), opening and holding many views (W3, W4), recording clock ticks
 * (W4) and channel fan-out (W5). Every scenario checks what it got back (final counters,
 * sequence numbers, every subscriber's every seq) and reports problems in `errors`
 * rather than throwing. The generator process (generator.ts) and the smoke test call
 * these; the runner (bench/run.ts) only ever talks to generators.
 */
import WebSocket from 'ws';
import { cpuSeconds } from '../lib/proc.js';
import { Histogram, percentiles, type Percentiles } from '../lib/stats.js';
import {
  EchoSocket,
  LoadSocket,
  getCookie,
  mapLimit,
  withTimeout,
  wallNow,
  type ClickResult,
} from './client.js';

const MAX_ERRORS = 20;

function collectErrors(into: string[], more: readonly string[], prefix = ''): void {
  for (const error of more) if (into.length < MAX_ERRORS) into.push(prefix + error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- W1: click round trips ---------------------------------------------------------------------

export interface ClicksOptions {
  url: string;
  target: 'lona' | 'echo';
  clients: number;
  /** Counted clicks per client, each waiting for its patch. */
  clicks: number;
  /** Uncounted clicks per client before the counted ones. */
  warmupClicks: number;
  /** The server's pid, to read its CPU seconds around the counted clicks. */
  serverPid?: number;
}

export interface ClicksResult {
  target: 'lona' | 'echo';
  clients: number;
  clicks: number;
  seconds: number;
  /** Counted round trips per second. */
  rate: number;
  /** Send → patch (lona) or send → echo (baseline), ms. */
  latency: Percentiles;
  /** Send → done (lona only), ms. */
  doneLatency?: Percentiles;
  /** Server CPU seconds per counted click, µs. */
  serverCpuUsPerClick: number;
  /** This generator's CPU over the counted clicks, in cores (near 1: the load was the limit). */
  generatorCores: number;
  errors: string[];
}

export async function runClicks(options: ClicksOptions): Promise<ClicksResult> {
  return options.target === 'lona' ? runLonaClicks(options) : runEchoClicks(options);
}

async function runLonaClicks(options: ClicksOptions): Promise<ClicksResult> {
  const { url, clients, clicks, warmupClicks } = options;
  const errors: string[] = [];
  const sockets = await mapLimit(range(clients), 64, async () => {
    const cookie = await getCookie(`${url}/counter`);
    const socket = await LoadSocket.connect(url, { cookie });
    await socket.start(`${url}/counter`);
    if (socket.text('counter') !== '0') errors.push(`counter starts at ${socket.text('counter')}`);
    return socket;
  });
  try {
    await Promise.all(
      sockets.map(async (socket) => {
        for (let i = 0; i < warmupClicks; i++) await socket.click('plus');
      }),
    );
    const patchTimes = new Float64Array(clients * clicks);
    const doneTimes = new Float64Array(clients * clicks);
    const measure = startMeasure(options.serverPid);
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let i = 0; i < clicks; i++) {
          let result: ClickResult;
          try {
            result = await socket.click('plus');
          } catch (error) {
            collectErrors(errors, [messageOf(error)]);
            return;
          }
          patchTimes[s * clicks + i] = result.patchMs;
          doneTimes[s * clicks + i] = result.doneMs;
        }
      }),
    );
    const measured = measure.stop();
    const expected = String(warmupClicks + clicks);
    for (const socket of sockets) {
      const counter = socket.text('counter');
      if (counter !== expected)
        collectErrors(errors, [`final counter ${counter}, expected ${expected}`]);
      collectErrors(errors, socket.errors);
    }
    if (patchTimes.some((value) => Number.isNaN(value))) {
      collectErrors(errors, ['a click got its done without a patch']);
    }
    return {
      target: 'lona',
      clients,
      clicks: clients * clicks,
      seconds: measured.seconds,
      rate: (clients * clicks) / measured.seconds,
      latency: percentiles(patchTimes),
      doneLatency: percentiles(doneTimes),
      serverCpuUsPerClick: (measured.serverCpu / (clients * clicks)) * 1e6,
      generatorCores: measured.generatorCpu / measured.seconds,
      errors,
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

async function runEchoClicks(options: ClicksOptions): Promise<ClicksResult> {
  const { url, clients, clicks, warmupClicks } = options;
  const errors: string[] = [];
  const sockets = await mapLimit(range(clients), 64, () => EchoSocket.connect(url));
  try {
    await Promise.all(
      sockets.map(async (socket) => {
        for (let i = 0; i < warmupClicks; i++) await socket.roundTrip();
      }),
    );
    const times = new Float64Array(clients * clicks);
    const measure = startMeasure(options.serverPid);
    await Promise.all(
      sockets.map(async (socket, s) => {
        for (let i = 0; i < clicks; i++) {
          try {
            times[s * clicks + i] = await socket.roundTrip();
          } catch (error) {
            collectErrors(errors, [messageOf(error)]);
            return;
          }
        }
      }),
    );
    const measured = measure.stop();
    return {
      target: 'echo',
      clients,
      clicks: clients * clicks,
      seconds: measured.seconds,
      rate: (clients * clicks) / measured.seconds,
      latency: percentiles(times),
      serverCpuUsPerClick: (measured.serverCpu / (clients * clicks)) * 1e6,
      generatorCores: measured.generatorCpu / measured.seconds,
      errors,
    };
  } finally {
    for (const socket of sockets) socket.close();
  }
}

/** Times a window and reads the server's and this process's CPU seconds around it. */
/** CPU seconds of the server processes (summed) and of this generator, over a span. */
function startMeasure(serverPid: number | readonly number[] | undefined) {
  const pids =
    serverPid === undefined ? [] : typeof serverPid === 'number' ? [serverPid] : serverPid;
  const serverSeconds = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const serverStart = pids.length ? serverSeconds() : NaN;
  const ownStart = process.cpuUsage();
  const start = performance.now();
  return {
    stop() {
      const seconds = (performance.now() - start) / 1000;
      const own = process.cpuUsage(ownStart);
      return {
        seconds,
        serverCpu: pids.length ? serverSeconds() - serverStart : NaN,
        generatorCpu: (own.user + own.system) / 1e6,
      };
    },
  };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

// --- W3, W4: many views held open --------------------------------------------------------------

export interface OpenOptions {
  url: string;
  path: string;
  count: number;
  /** Opens in flight at once. */
  concurrency: number;
  /** An HTML id the view's tree must have (a 503 view has not). */
  expectId: string;
  /**
   * 'tree': an open ends at its tree. 'started': it ends at `started` and the tree is
   * awaited outside the concurrency limit (views queued for a runtime slot).
   */
  limitUntil?: 'tree' | 'started';
  /** Close each view this many ms after its tree (the saturation run). */
  holdMs?: number;
  /** Ms a view may wait for its tree. @default 120000 */
  treeTimeoutMs?: number;
  /** Return every opened view's start → tree time (`times`). */
  returnTimes?: boolean;
}

export interface OpenResult {
  requested: number;
  /** Views that showed a tree with `expectId`. */
  opened: number;
  /** Views that got the 503 "server busy" view. */
  busy: number;
  failed: number;
  /** Wall-clock ms (comparable across processes): first start sent, last tree received. */
  firstStartAt: number;
  lastTreeAt: number;
  /** start → tree, ms, of the opened views. */
  timeToTree: Percentiles;
  /** start → tree, ms, per opened view (with `returnTimes`). */
  times?: number[];
  errors: string[];
}

/** A group of views one generator holds open. */
export class ViewGroup {
  readonly sockets: LoadSocket[] = [];

  async open(options: OpenOptions): Promise<OpenResult> {
    const { url, path, count, expectId } = options;
    const errors: string[] = [];
    const cookie = await getCookie(`${url}${path}`);
    const treeTimeoutMs = options.treeTimeoutMs ?? 120_000;
    let busy = 0;
    let failed = 0;
    const waits: Array<Promise<void>> = [];
    const finish = async (socket: LoadSocket) => {
      try {
        await socket.waitTree(treeTimeoutMs);
      } catch (error) {
        failed++;
        collectErrors(errors, [messageOf(error)]);
        return;
      }
      if (socket.busy || !socket.has(expectId)) {
        // The tree comes before the busy frame: give it a moment to arrive.
        if (!socket.busy) await new Promise((resolve) => setTimeout(resolve, 50));
        if (socket.busy) busy++;
        else {
          failed++;
          collectErrors(errors, [`tree without #${expectId}`]);
        }
      }
      if (options.holdMs !== undefined) {
        setTimeout(() => socket.close(), options.holdMs);
      }
    };
    await mapLimit(range(count), options.concurrency, async () => {
      let socket: LoadSocket;
      try {
        socket = await LoadSocket.connect(url, { cookie });
      } catch (error) {
        failed++;
        collectErrors(errors, [`connect: ${messageOf(error)}`]);
        return;
      }
      this.sockets.push(socket);
      try {
        await socket.start(`${url}${path}`, options.limitUntil ?? 'tree', treeTimeoutMs);
      } catch (error) {
        failed++;
        collectErrors(errors, [messageOf(error)]);
        return;
      }
      waits.push(finish(socket));
    });
    await Promise.all(waits);
    const good = this.sockets.filter((s) => s.treeAt && !s.busy && s.has(expectId));
    for (const socket of good) collectErrors(errors, socket.errors);
    const times = good.map((s) => s.treeAt - s.startSentAt);
    return {
      requested: count,
      opened: good.length,
      busy,
      failed,
      firstStartAt: this.sockets.reduce((min, s) => Math.min(min, s.startSentAt), Infinity),
      lastTreeAt: good.reduce((max, s) => Math.max(max, s.treeAt), 0),
      timeToTree: percentiles(times),
      times: options.returnTimes ? times : undefined,
      errors,
    };
  }

  /** Bare WebSockets to the echo server, held open (W3's floor: a socket without a view). */
  readonly raw: WebSocket[] = [];

  async openSockets(options: {
    url: string;
    count: number;
    concurrency: number;
  }): Promise<OpenResult> {
    const errors: string[] = [];
    const wsUrl = options.url.replace(/^http/, 'ws');
    const times: number[] = [];
    let firstStartAt = Infinity;
    let lastOpenAt = 0;
    let failed = 0;
    await mapLimit(range(options.count), options.concurrency, async () => {
      const startAt = wallNow();
      firstStartAt = Math.min(firstStartAt, startAt);
      try {
        const ws = new WebSocket(wsUrl, { perMessageDeflate: false });
        ws.on('error', () => undefined);
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('unexpected-response', () => reject(new Error('upgrade refused')));
          ws.once('close', (code) => reject(new Error(`closed before open (${code})`)));
        });
        this.raw.push(ws);
        const openAt = wallNow();
        lastOpenAt = Math.max(lastOpenAt, openAt);
        times.push(openAt - startAt);
      } catch (error) {
        failed++;
        collectErrors(errors, [messageOf(error)]);
      }
    });
    return {
      requested: options.count,
      opened: this.raw.length,
      busy: 0,
      failed,
      firstStartAt,
      lastTreeAt: lastOpenAt,
      timeToTree: percentiles(times),
      errors,
    };
  }

  /** Views whose socket is still open and show `htmlId`. */
  alive(htmlId: string): number {
    return this.sockets.filter((s) => s.closedWith === null && s.has(htmlId)).length;
  }

  async close(): Promise<void> {
    const closed = this.sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.closedWith !== null) return resolve();
          socket.ws.once('close', () => resolve());
          socket.close();
        }),
    );
    await withTimeout(Promise.all(closed), 30_000, 'sockets did not close').catch(() => undefined);
    for (const socket of this.sockets) socket.ws.terminate();
    this.sockets.length = 0;
    for (const ws of this.raw) ws.terminate();
    this.raw.length = 0;
  }
}

// --- W4: clock ticks ---------------------------------------------------------------------------

/** Longest tick interval the histograms keep apart (the last bucket takes the rest). */
const TICK_HISTOGRAM_MAX_MS = 10_000;

export interface TickResult {
  views: number;
  seconds: number;
  ticks: number;
  /** Views that got no tick in the window. */
  silentViews: number;
  /** Fewest and most ticks one view got. */
  minTicks: number;
  maxTicks: number;
  /** Interval between patches as received, 1-ms buckets. */
  arrival: number[];
  /** Interval between the times the server wrote into #clock, 1-ms buckets. */
  server: number[];
  errors: string[];
}

/** Parses hh:mm:ss.mmm into ms of the day. */
function clockMs(text: string | undefined): number {
  if (!text || text.length !== 12) return NaN;
  return (
    Number(text.slice(0, 2)) * 3_600_000 +
    Number(text.slice(3, 5)) * 60_000 +
    Number(text.slice(6, 8)) * 1000 +
    Number(text.slice(9, 12))
  );
}

/** Records the ticks of the clock views of a group between `start()` and `stop()`. */
export class TickRecorder {
  #arrival = new Histogram(TICK_HISTOGRAM_MAX_MS);
  #server = new Histogram(TICK_HISTOGRAM_MAX_MS);
  #counts = new Map<LoadSocket, number>();
  #last = new Map<LoadSocket, { at: number; clock: number }>();
  #startedAt = 0;
  #sockets: LoadSocket[] = [];

  start(sockets: LoadSocket[]): void {
    this.#sockets = sockets.filter((s) => s.closedWith === null && s.has('clock'));
    this.#startedAt = performance.now();
    for (const socket of this.#sockets) {
      this.#counts.set(socket, 0);
      socket.onPatch = (s, at) => this.#tick(s, at);
    }
  }

  #tick(socket: LoadSocket, at: number): void {
    const clock = clockMs(socket.text('clock'));
    const last = this.#last.get(socket);
    if (last) {
      this.#arrival.add(at - last.at);
      let serverInterval = clock - last.clock;
      if (serverInterval < 0) serverInterval += 86_400_000; // midnight
      this.#server.add(serverInterval);
    }
    this.#last.set(socket, { at, clock });
    this.#counts.set(socket, (this.#counts.get(socket) ?? 0) + 1);
  }

  stop(): TickResult {
    const seconds = (performance.now() - this.#startedAt) / 1000;
    const errors: string[] = [];
    let ticks = 0;
    let silent = 0;
    let minTicks = Infinity;
    let maxTicks = 0;
    for (const socket of this.#sockets) {
      socket.onPatch = null;
      const count = this.#counts.get(socket) ?? 0;
      ticks += count;
      if (count === 0) silent++;
      minTicks = Math.min(minTicks, count);
      maxTicks = Math.max(maxTicks, count);
      collectErrors(errors, socket.errors);
    }
    return {
      views: this.#sockets.length,
      seconds,
      ticks,
      silentViews: silent,
      minTicks: Number.isFinite(minTicks) ? minTicks : 0,
      maxTicks,
      arrival: this.#arrival.counts,
      server: this.#server.counts,
      errors,
    };
  }
}

// --- W5: channel fan-out -----------------------------------------------------------------------

/**
 * Fan-out bookkeeping shared by W5/W6 and its ws floor: each subscriber must see 1, 2, 3, …
 * in order, and `deliver(seq)` sends one message and resolves once every subscriber saw
 * it, with the times from the send to the first and the last of them.
 */
class DeliveryWatch<Sub> {
  readonly #seen: Map<Sub, number>;
  readonly #errors: string[];
  /** Who sees messages, in error lines ("subscriber", "socket"). */
  readonly #who: string;
  #expected = 0;
  #remaining = 0;
  #firstAt = 0;
  #lastAt = 0;
  #allSeen: (() => void) | null = null;

  constructor(subs: readonly Sub[], errors: string[], who: string) {
    this.#seen = new Map(subs.map((sub) => [sub, 0]));
    this.#errors = errors;
    this.#who = who;
  }

  /** The last value `sub` saw. */
  seen(sub: Sub): number {
    return this.#seen.get(sub)!;
  }

  /** `sub` showed `value` at `at` (performance.now()). */
  observe(sub: Sub, value: number, at: number): void {
    const previous = this.#seen.get(sub)!;
    if (value !== previous + 1) {
      collectErrors(this.#errors, [`${this.#who} saw ${value} after ${previous}`]);
    }
    this.#seen.set(sub, value);
    if (value !== this.#expected) return;
    if (this.#firstAt === 0) this.#firstAt = at;
    this.#lastAt = at;
    if (--this.#remaining === 0) this.#allSeen?.();
  }

  /** Sends `seq` with `send` and waits until every subscriber saw it (and `send` settled). */
  async deliver(
    seq: number,
    send: () => Promise<unknown> | void,
    timeoutMessage: string,
  ): Promise<{ toLast: number; toFirst: number }> {
    this.#expected = seq;
    this.#remaining = this.#seen.size;
    this.#firstAt = 0;
    const done = new Promise<void>((resolve) => (this.#allSeen = resolve));
    const sentAt = performance.now();
    await withTimeout(Promise.all([done, send()]), 60_000, timeoutMessage);
    return { toLast: this.#lastAt - sentAt, toFirst: this.#firstAt - sentAt };
  }
}

export interface FanoutOptions {
  /** The server of the publisher (and of the subscribers unless `subscriberUrls` is given). */
  url: string;
  /**
   * Servers the subscribers are spread over, round robin: several processes of one app
   * sharing a channel broker (W6). @default [url]
   */
  subscriberUrls?: string[];
  subscribers: number;
  /** Counted messages; each waits until every subscriber showed it. */
  messages: number;
  warmupMessages: number;
  /** The server processes whose CPU is measured (all of them when spread over several). */
  serverPid?: number | number[];
}

export interface FanoutResult {
  subscribers: number;
  messages: number;
  /** Click on #publish sent → the last subscriber's patch, ms. */
  toLast: Percentiles;
  /** Click sent → the first subscriber's patch, ms. */
  toFirst: Percentiles;
  /** Server CPU per delivered message (one subscriber's patch), µs. */
  serverCpuUsPerDelivery: number;
  /** Every subscriber showed every seq, in order. */
  complete: boolean;
  errors: string[];
}

export async function runFanout(options: FanoutOptions): Promise<FanoutResult> {
  const { url, subscribers, messages, warmupMessages } = options;
  const subscriberUrls = options.subscriberUrls ?? [url];
  const errors: string[] = [];
  // One session per server, as a browser gets from each origin it visits.
  const cookies = await Promise.all(subscriberUrls.map((server) => getCookie(`${server}/sub`)));
  const subs = await mapLimit(range(subscribers), 64, async (i) => {
    const server = subscriberUrls[i % subscriberUrls.length]!;
    const socket = await LoadSocket.connect(server, {
      cookie: cookies[i % subscriberUrls.length]!,
    });
    await socket.start(`${server}/sub`);
    return socket;
  });
  const publisher = await LoadSocket.connect(url, { cookie: await getCookie(`${url}/pub`) });
  try {
    await publisher.start(`${url}/pub`);
    for (const sub of subs) {
      if (sub.text('msg') !== '-') collectErrors(errors, [`#msg starts as ${sub.text('msg')}`]);
    }
    // Each subscriber must show 1, 2, 3, … in order, one patch per message.
    const watch = new DeliveryWatch<LoadSocket>(subs, errors, 'subscriber');
    for (const sub of subs) {
      sub.onPatch = (socket, at) => watch.observe(socket, Number(socket.text('msg')), at);
    }
    const publish = async (seq: number) => {
      const times = await watch.deliver(
        seq,
        () => publisher.click('publish'),
        `message ${seq} not delivered to all`,
      );
      if (publisher.text('published') !== String(seq)) {
        collectErrors(errors, [`#published is ${publisher.text('published')}, expected ${seq}`]);
      }
      return times;
    };
    let seq = 0;
    for (let i = 0; i < warmupMessages; i++) await publish(++seq);
    const toLast: number[] = [];
    const toFirst: number[] = [];
    const measure = startMeasure(options.serverPid);
    for (let i = 0; i < messages; i++) {
      try {
        const times = await publish(++seq);
        toLast.push(times.toLast);
        toFirst.push(times.toFirst);
      } catch (error) {
        collectErrors(errors, [messageOf(error)]);
        break;
      }
    }
    const measured = measure.stop();
    let complete = true;
    for (const sub of subs) {
      if (watch.seen(sub) !== seq || sub.text('msg') !== String(seq)) complete = false;
      collectErrors(errors, sub.errors);
    }
    if (!complete) collectErrors(errors, ['a subscriber missed a message']);
    collectErrors(errors, publisher.errors);
    return {
      subscribers,
      messages: toLast.length,
      toLast: percentiles(toLast),
      toFirst: percentiles(toFirst),
      serverCpuUsPerDelivery: (measured.serverCpu / (messages * subscribers)) * 1e6,
      complete,
      errors,
    };
  } finally {
    publisher.close();
    for (const sub of subs) sub.close();
  }
}

/**
 * The floor of W5: the same fan-out through the bare ws server (`["broadcast", seq]` goes
 * to every other socket, one frame each). Each message waits until every socket got it.
 */
export async function runBroadcast(options: FanoutOptions): Promise<FanoutResult> {
  const { url, subscribers, messages, warmupMessages } = options;
  const errors: string[] = [];
  const wsUrl = url.replace(/^http/, 'ws');
  const open = (socket: WebSocket) =>
    new Promise<WebSocket>((resolve, reject) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
  const subs = await mapLimit(range(subscribers), 64, () =>
    open(new WebSocket(wsUrl, { perMessageDeflate: false })),
  );
  const publisher = await open(new WebSocket(wsUrl, { perMessageDeflate: false }));
  try {
    const watch = new DeliveryWatch<WebSocket>(subs, errors, 'socket');
    for (const sub of subs) {
      sub.on('message', (data) => {
        const at = performance.now();
        watch.observe(sub, (JSON.parse(String(data)) as [string, number])[1], at);
      });
    }
    const publish = (seq: number) =>
      watch.deliver(
        seq,
        () => publisher.send(JSON.stringify(['broadcast', seq])),
        `broadcast ${seq} not delivered to all`,
      );
    let seq = 0;
    for (let i = 0; i < warmupMessages; i++) await publish(++seq);
    const toLast: number[] = [];
    const toFirst: number[] = [];
    const measure = startMeasure(options.serverPid);
    for (let i = 0; i < messages; i++) {
      const times = await publish(++seq);
      toLast.push(times.toLast);
      toFirst.push(times.toFirst);
    }
    const measured = measure.stop();
    const complete = subs.every((sub) => watch.seen(sub) === seq);
    return {
      subscribers,
      messages: toLast.length,
      toLast: percentiles(toLast),
      toFirst: percentiles(toFirst),
      serverCpuUsPerDelivery: (measured.serverCpu / (messages * subscribers)) * 1e6,
      complete,
      errors,
    };
  } finally {
    publisher.close();
    for (const sub of subs) sub.close();
  }
}
