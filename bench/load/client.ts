/**
 * A thin lona-ts protocol client for load (docs/protocol.md): one `LoadSocket` per view,
 * thousands per process. It gets its session cookie by a GET like a browser, starts a
 * view, mirrors the shown tree just enough to find nodes by HTML id and read their text,
 * applies text and structure patches, checks that sequence numbers have no gap, and sends
 * clicks that resolve on their `done`. `EchoSocket` does the same round trip against the
 * bare `ws` echo baseline. Scenarios (what to open, click and measure) are in scenarios.ts.
 */
import WebSocket from 'ws';
import {
  CLOSE_CODE,
  MESSAGE,
  PROTOCOL_VERSION,
  WEBSOCKET_PATH,
} from '../../src/protocol/messages.js';

/** Wall-clock ms with sub-ms precision, comparable across processes of one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

/** GETs `url` as a browser does and returns the session cookie it set ("name=value"). */
export async function getCookie(url: string): Promise<string> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const setCookie = res.headers.get('set-cookie');
  if (!setCookie) throw new Error(`GET ${url} set no cookie`);
  return setCookie.split(';')[0]!;
}

/** What a browser's click sends as event data. */
const CLICK_DATA = {
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  width: 40,
  height: 24,
  x: 12,
  y: 8,
};

type Tuple = unknown[];

interface MirrorNode {
  text?: string;
  htmlId?: string;
  children?: string[];
  parent?: string;
}

/** The nodes of a shown tree by id, with their HTML ids and texts. */
class NodeMirror {
  readonly nodes = new Map<string, MirrorNode>();
  readonly byHtmlId = new Map<string, string>();

  reset(root: Tuple): void {
    this.nodes.clear();
    this.byHtmlId.clear();
    this.#add(root, undefined);
  }

  #add(tuple: Tuple, parent: string | undefined): string {
    const [kind, id] = tuple as [number, string];
    const node: MirrorNode = { parent };
    if (kind === 0) node.text = tuple[2] as string;
    if (kind === 1) {
      const attributes = tuple[3] as Record<string, string>;
      if (attributes.id) {
        node.htmlId = attributes.id;
        this.byHtmlId.set(attributes.id, id);
      }
      node.children = (tuple[4] as Tuple[]).map((child) => this.#add(child, id));
    }
    this.nodes.set(id, node);
    return id;
  }

  #remove(id: string): void {
    const node = this.nodes.get(id);
    if (!node) return;
    for (const child of node.children ?? []) this.#remove(child);
    if (node.htmlId && this.byHtmlId.get(node.htmlId) === id) this.byHtmlId.delete(node.htmlId);
    this.nodes.delete(id);
  }

  #detach(id: string): void {
    const parent = this.nodes.get(this.nodes.get(id)?.parent ?? '');
    if (parent?.children) parent.children = parent.children.filter((child) => child !== id);
  }

  #insert(parentId: string, beforeId: string | null, id: string): void {
    const parent = this.nodes.get(parentId);
    if (!parent?.children) throw new Error(`patch into unknown parent ${parentId}`);
    const index = beforeId === null ? -1 : parent.children.indexOf(beforeId);
    if (index < 0) parent.children.push(id);
    else parent.children.splice(index, 0, id);
    this.nodes.get(id)!.parent = parentId;
  }

  /** Applies one patch; throws on a patch that does not fit the mirror. */
  apply(patch: Tuple): void {
    const op = patch[0] as string;
    switch (op) {
      case 'text': {
        const node = this.nodes.get(patch[1] as string);
        if (node?.text === undefined) throw new Error(`text patch on unknown node ${patch[1]}`);
        node.text = patch[2] as string;
        return;
      }
      case 'ins': {
        const id = this.#add(patch[3] as Tuple, undefined);
        this.#insert(patch[1] as string, patch[2] as string | null, id);
        return;
      }
      case 'rm':
        this.#detach(patch[1] as string);
        this.#remove(patch[1] as string);
        return;
      case 'mv':
        this.#detach(patch[1] as string);
        this.#insert(patch[2] as string, patch[3] as string | null, patch[1] as string);
        return;
      case 'clr': {
        const parent = this.nodes.get(patch[1] as string);
        for (const child of parent?.children ?? []) this.#remove(child);
        if (parent) parent.children = [];
        return;
      }
      case 'id+':
      case 'id-': {
        const node = this.nodes.get(patch[1] as string);
        if (!node) return;
        if (node.htmlId) this.byHtmlId.delete(node.htmlId);
        node.htmlId = op === 'id+' ? (patch[2] as string) : undefined;
        if (node.htmlId) this.byHtmlId.set(node.htmlId, patch[1] as string);
        return;
      }
      default:
        return; // attributes, classes, styles, events, widgets: nothing the load reads
    }
  }

  /** The text content of the element with this HTML id (undefined when absent). */
  textOf(htmlId: string): string | undefined {
    const id = this.byHtmlId.get(htmlId);
    if (id === undefined) return undefined;
    let text = '';
    const walk = (nodeId: string) => {
      const node = this.nodes.get(nodeId);
      if (!node) return;
      if (node.text !== undefined) text += node.text;
      for (const child of node.children ?? []) walk(child);
    };
    walk(id);
    return text;
  }
}

export interface LoadSocketOptions {
  cookie?: string;
  /** Sent as Origin, as browsers do. @default the server's origin */
  origin?: string;
  /** Ms to wait for the upgrade. @default 30000 */
  timeoutMs?: number;
}

interface PendingClick {
  eventId: number;
  sentAt: number;
  resolve: (result: ClickResult) => void;
  reject: (error: Error) => void;
}

export interface ClickResult {
  /** Send → the last patch before `done`, ms (the round trip a user sees). */
  patchMs: number;
  /** Send → `done`, ms. */
  doneMs: number;
}

/** One browser tab's WebSocket, showing one view. */
export class LoadSocket {
  readonly ws: WebSocket;
  readonly mirror = new NodeMirror();
  viewId: string | null = null;
  seq = 0;
  /** Protocol problems seen (sequence gaps, bad patches, done codes, closes). */
  readonly errors: string[] = [];
  /** A `busy` frame arrived: the view got the 503 view. */
  busy = false;
  closedWith: number | null = null;
  /** Called after every applied patch batch (clock ticks, fan-out). */
  onPatch: ((socket: LoadSocket, at: number) => void) | null = null;
  startSentAt = 0;
  startedAt = 0;
  treeAt = 0;
  lastPatchAt = 0;

  #nextEventId = 0;
  #click: PendingClick | null = null;
  #treeWaiter: { resolve: () => void; reject: (error: Error) => void } | null = null;
  #startedWaiter: (() => void) | null = null;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => this.#onFrame(String(data)));
    ws.on('close', (code) => {
      this.closedWith = code;
      const error = new Error(`socket closed (${code})`);
      this.#click?.reject(error);
      this.#click = null;
      this.#treeWaiter?.reject(error);
      this.#treeWaiter = null;
    });
    ws.on('error', (error) => this.#error(`socket error: ${error.message}`));
  }

  /** Opens the WebSocket of the app at `url` (http://host:port). */
  static connect(url: string, options: LoadSocketOptions = {}): Promise<LoadSocket> {
    const wsUrl = `${url.replace(/^http/, 'ws')}${WEBSOCKET_PATH}?v=${PROTOCOL_VERSION}`;
    const ws = new WebSocket(wsUrl, {
      headers: options.cookie ? { cookie: options.cookie } : {},
      origin: options.origin ?? url,
      perMessageDeflate: false,
      handshakeTimeout: options.timeoutMs ?? 30_000,
    });
    const socket = new LoadSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) =>
        reject(new Error(`upgrade refused: ${res.statusCode}`)),
      );
      ws.once('error', (error) => reject(error));
      ws.once('close', (code) => reject(new Error(`closed before open (${code})`)));
    });
  }

  /**
   * Starts the view at `url` (absolute). Resolves on `started` or on the first tree
   * (`until`), rejects when the socket closes first or after `timeoutMs`.
   */
  start(url: string, until: 'started' | 'tree' = 'tree', timeoutMs = 60_000): Promise<void> {
    this.startSentAt = wallNow();
    this.ws.send(JSON.stringify([MESSAGE.VIEW_START, url]));
    return until === 'started' ? this.waitStarted(timeoutMs) : this.waitTree(timeoutMs);
  }

  waitStarted(timeoutMs = 60_000): Promise<void> {
    if (this.startedAt) return Promise.resolve();
    return withTimeout(
      new Promise<void>((resolve) => (this.#startedWaiter = resolve)),
      timeoutMs,
      'no started frame',
    );
  }

  waitTree(timeoutMs = 60_000): Promise<void> {
    if (this.treeAt) return Promise.resolve();
    if (this.closedWith !== null) {
      return Promise.reject(new Error(`socket closed (${this.closedWith})`));
    }
    return withTimeout(
      new Promise<void>((resolve, reject) => (this.#treeWaiter = { resolve, reject })),
      timeoutMs,
      'no tree',
    );
  }

  /** Text of the element with this HTML id in the shown tree. */
  text(htmlId: string): string | undefined {
    return this.mirror.textOf(htmlId);
  }

  has(htmlId: string): boolean {
    return this.mirror.byHtmlId.has(htmlId);
  }

  /** Clicks the element with this HTML id; resolves on its `done` (one click at a time). */
  click(htmlId: string, timeoutMs = 60_000): Promise<ClickResult> {
    const nodeId = this.mirror.byHtmlId.get(htmlId);
    if (nodeId === undefined || this.viewId === null) {
      return Promise.reject(new Error(`no #${htmlId} in the shown tree`));
    }
    if (this.#click) return Promise.reject(new Error('a click is already in flight'));
    const eventId = ++this.#nextEventId;
    const sentAt = performance.now();
    const promise = new Promise<ClickResult>((resolve, reject) => {
      this.#click = { eventId, sentAt, resolve, reject };
    });
    this.ws.send(
      JSON.stringify([
        MESSAGE.INPUT_EVENT,
        this.viewId,
        eventId,
        'click',
        nodeId,
        nodeId,
        CLICK_DATA,
      ]),
    );
    return withTimeout(promise, timeoutMs, `no done for click ${eventId}`);
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(CLOSE_CODE.NORMAL);
    }
  }

  #error(message: string): void {
    if (this.errors.length < 20) this.errors.push(message);
  }

  #onFrame(data: string): void {
    const frame = JSON.parse(data) as unknown[];
    const kind = frame[0];
    if (kind === MESSAGE.VIEW_STARTED) {
      this.viewId = frame[1] as string;
      this.startedAt = wallNow();
      this.#startedWaiter?.();
      this.#startedWaiter = null;
      return;
    }
    if (frame[1] !== this.viewId && kind !== MESSAGE.PONG) return; // another view's frame
    switch (kind) {
      case MESSAGE.TREE:
        this.seq = frame[2] as number;
        this.mirror.reset(frame[3] as Tuple);
        if (!this.treeAt) this.treeAt = wallNow();
        this.#treeWaiter?.resolve();
        this.#treeWaiter = null;
        return;
      case MESSAGE.PATCHES: {
        const seq = frame[2] as number;
        if (seq !== this.seq + 1) this.#error(`sequence gap: ${this.seq} → ${seq}`);
        this.seq = seq;
        try {
          for (const patch of frame[3] as Tuple[]) this.mirror.apply(patch);
        } catch (error) {
          this.#error(`bad patch: ${(error as Error).message}`);
        }
        this.lastPatchAt = performance.now();
        this.onPatch?.(this, this.lastPatchAt);
        return;
      }
      case MESSAGE.DONE: {
        const click = this.#click;
        if (!click || click.eventId !== frame[2]) {
          this.#error(`done for an unknown event ${String(frame[2])}`);
          return;
        }
        this.#click = null;
        const now = performance.now();
        if (frame[4] !== undefined) {
          click.reject(new Error(`click ${click.eventId} done with code ${String(frame[4])}`));
          return;
        }
        const patchMs = this.lastPatchAt >= click.sentAt ? this.lastPatchAt - click.sentAt : NaN;
        click.resolve({ patchMs, doneMs: now - click.sentAt });
        return;
      }
      case MESSAGE.BUSY:
        this.busy = true;
        return;
      default:
        return; // ack, title, msg, redirects: nothing to check here
    }
  }
}

/** One round trip of the W1 baseline: a click-shaped JSON frame out, its echo back. */
export class EchoSocket {
  readonly ws: WebSocket;
  #nextId = 0;
  #waiter: { id: number; resolve: () => void; reject: (error: Error) => void } | null = null;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as unknown[];
      const waiter = this.#waiter;
      if (!waiter) return;
      this.#waiter = null;
      if (frame[2] === waiter.id) waiter.resolve();
      else waiter.reject(new Error(`echo of ${String(frame[2])}, expected ${waiter.id}`));
    });
    ws.on('close', (code) => this.#waiter?.reject(new Error(`socket closed (${code})`)));
    ws.on('error', () => undefined);
  }

  static connect(url: string): Promise<EchoSocket> {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), { perMessageDeflate: false });
    const socket = new EchoSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('error', reject);
    });
  }

  /** Sends one click-shaped frame and resolves with the round trip in ms. */
  async roundTrip(timeoutMs = 60_000): Promise<number> {
    const id = ++this.#nextId;
    const sentAt = performance.now();
    const promise = new Promise<void>((resolve, reject) => {
      this.#waiter = { id, resolve, reject };
    });
    this.ws.send(
      JSON.stringify([
        MESSAGE.INPUT_EVENT,
        'echo-view-0123456789abcdef',
        id,
        'click',
        'd',
        'd',
        CLICK_DATA,
      ]),
    );
    await withTimeout(promise, timeoutMs, `no echo for ${id}`);
    return performance.now() - sentAt;
  }

  close(): void {
    this.ws.close();
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `fn` over `items` with at most `limit` calls in flight; results in order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!, index);
    }
  });
  await Promise.all(workers);
  return results;
}
