/**
 * The client side of the protocol (protocol/messages.ts) for one tab: one WebSocket, the
 * current view id and sequence number, view starts and in-app navigation (with history),
 * input event ids with their busy marks and timeouts, resyncs, reconnects with back-off,
 * and the close codes of SPEC §7. The DOM work is DomView's, the page's indicators are
 * StatusUi's; this module only decides.
 *
 * Everything from outside (WebSocket class, randomness, page loads) can be injected, so
 * tests drive it with a fake socket and fake timers.
 */
import type { SubmitData } from '../protocol/events.js';
import { isSafeUrl } from '../protocol/markup-rules.js';
import { CLOSE_CODE, MESSAGE, PROTOCOL_VERSION } from '../protocol/messages.js';
import type { NodeId, SerializedNode } from '../protocol/nodes.js';
import type { Patch } from '../protocol/patches.js';
import { DomView } from './dom-view.js';
import { Hooks } from './hooks.js';
import { DEFAULT_CLIENT_SETTINGS, type ClientSettings } from './settings.js';
import { StatusUi } from './status-ui.js';
import type { WidgetRegistry } from './widgets.js';

/** Longest reconnect back-off (SPEC §2.8). */
export const MAX_RECONNECT_DELAY_MS = 30_000;
/** Longest quick reconnect after a server restart (1012): spread, so a fleet does not stampede. */
const RESTART_RECONNECT_MS = 1000;
/** sessionStorage key that allows one reload per tab on a protocol version mismatch. */
export const RELOAD_GUARD_KEY = 'lona-version-reload';

export interface LonaClientOptions {
  /** The view's container, `#lona`. */
  root: Element;
  settings?: Partial<ClientSettings>;
  hooks?: Hooks;
  /** The WebSocket class (a fake in tests). */
  WebSocket?: typeof WebSocket;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  widgets?: WidgetRegistry;
  /** Full page navigation (HTTP redirects); defaults to `location.assign`. */
  assign?: (url: string) => void;
  /** Full page navigation in place of the current history entry; defaults to `location.replace`. */
  replace?: (url: string) => void;
  /** Page reload (version mismatch); defaults to `location.reload`. */
  reload?: () => void;
}

interface StartRequest {
  url: string;
  method: 'GET' | 'POST';
  post?: SubmitData;
}

interface PendingEvent {
  element: Element | undefined;
  timer: ReturnType<typeof setTimeout>;
  overdue: boolean;
}

/** Full-jitter exponential back-off: a delay in [0, min(30 s, base · 2^attempt)). */
export function reconnectDelay(attempt: number, baseMs: number, random: () => number): number {
  return random() * Math.min(MAX_RECONNECT_DELAY_MS, baseMs * 2 ** attempt);
}

export class LonaClient {
  readonly view: DomView;
  readonly hooks: Hooks;
  readonly settings: ClientSettings;
  #win: Window;
  #status: StatusUi;
  #WebSocket: typeof WebSocket;
  #random: () => number;
  #assign: (url: string) => void;
  #replace: (url: string) => void;
  #reload: () => void;

  #ws: WebSocket | null = null;
  /** A frame arrived on the current socket: the server accepted it. */
  #live = false;
  /** The socket was closed on purpose (page leaving, version banner): no reconnect. */
  #stopped = false;
  #disconnected = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pingUnanswered = false;

  /** The start to send when the socket opens. */
  #start: StartRequest | null = null;
  #startTimer: ReturnType<typeof setTimeout> | undefined;
  /** URL (without fragment) of the view asked for last: a popstate to it is a fragment move. */
  #url = '';
  /**
   * The history entry of a navigation whose view has not started yet. It is written when
   * the server starts the view: an answer that leaves the app (an HTTP redirect, a route
   * that is not interactive) then becomes a page load from the current entry, and back
   * leads to the page the user left rather than to an entry of a view that never showed.
   */
  #pendingEntry: { href: string; replace: boolean } | null = null;
  #scrollOnTree = false;
  #viewId: string | null = null;
  #seq = -1;
  #resyncing = false;

  #eventId = 0;
  #events = new Map<number, PendingEvent>();
  #busy = new Map<Element, number>();
  #waiting = new Map<string, number | undefined>();

  constructor(options: LonaClientOptions) {
    const doc = options.root.ownerDocument;
    const win = doc.defaultView;
    if (!win) throw new Error('lona: the root element must belong to a window');
    this.#win = win;
    this.settings = { ...DEFAULT_CLIENT_SETTINGS, ...options.settings };
    this.hooks = options.hooks ?? new Hooks();
    this.#status = new StatusUi(doc);
    this.#WebSocket = options.WebSocket ?? win.WebSocket;
    this.#random = options.random ?? Math.random;
    this.#assign = options.assign ?? ((url) => win.location.assign(url));
    this.#replace = options.replace ?? ((url) => win.location.replace(url));
    this.#reload = options.reload ?? (() => win.location.reload());
    this.view = new DomView(options.root, {
      send: (name, nodeId, targetNodeId, data) => this.#sendInput(name, nodeId, targetNodeId, data),
      navigate: (url, method, post) => this.navigate(url, method, post),
      // Skipped things (a refused attribute, a failing widget) are only logged: a client
      // error gives the view its 500 page, which only a tree that cannot render deserves.
      onError: (error) => console.error('lona:', error),
      widgets: options.widgets,
    });
  }

  /** Connects and starts the view for the current URL. */
  start(): void {
    const win = this.#win;
    win.addEventListener('popstate', this.#onPopState);
    win.addEventListener('pagehide', this.#onPageHide);
    win.addEventListener('pageshow', this.#onPageShow);
    if (this.settings.protocolVersion !== PROTOCOL_VERSION) return this.#versionMismatch();
    this.#stopped = false;
    this.#startView({ url: win.location.href, method: 'GET' }, false);
    this.#connect();
  }

  /** Stops for good: leaves the view, closes the socket, removes listeners. */
  close(): void {
    const win = this.#win;
    win.removeEventListener('popstate', this.#onPopState);
    win.removeEventListener('pagehide', this.#onPageHide);
    win.removeEventListener('pageshow', this.#onPageShow);
    this.#halt();
    this.#status.setBanner(null);
    this.view.destroy();
  }

  /**
   * Navigates inside the app: a history entry (or, with `replace`, the current one
   * rewritten), then a view start over the same socket.
   */
  navigate(url: string, method: 'GET' | 'POST' = 'GET', post?: SubmitData, replace = false): void {
    const href = new URL(url, this.#currentUrl()).href;
    // A navigation that replaces one still waiting for its view takes over its entry.
    this.#pendingEntry = { href, replace: replace || (this.#pendingEntry?.replace ?? false) };
    this.#startView({ url: href, method, post }, true);
  }

  /** The URL the tab is on, or going to while a navigation waits for its view. */
  #currentUrl(): string {
    return this.#pendingEntry?.href ?? this.#win.location.href;
  }

  #writePendingEntry(): void {
    const entry = this.#pendingEntry;
    if (!entry) return;
    this.#pendingEntry = null;
    if (entry.replace) this.#win.history.replaceState(null, '', entry.href);
    else this.#win.history.pushState(null, '', entry.href);
  }

  /** Sends a custom message to the current view (`handleWebsocketMessage` middlewares). */
  send(data: unknown): void {
    this.#write([MESSAGE.CUSTOM, this.#viewId, data]);
  }

  // Socket --------------------------------------------------------------------------------

  #connect(): void {
    clearTimeout(this.#reconnectTimer);
    const { location } = this.#win;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${scheme}//${location.host}${this.settings.wsPath}?v=${PROTOCOL_VERSION}`;
    let ws: WebSocket;
    try {
      ws = new this.#WebSocket(url);
    } catch (error) {
      // E.g. a refused URL: treated as a failed attempt, so back-off and the banner apply.
      console.error('lona:', error);
      return this.#onClose(1006, String(error));
    }
    this.#ws = ws;
    this.#live = false;
    ws.onopen = () => {
      if (this.#ws !== ws) return;
      // Live reload: the server is back after a restart; the page may have changed too.
      if (this.#disconnected && this.settings.reloadOnReconnect) return this.#reload();
      this.#startPing();
      const start = this.#start;
      if (start) this.#sendStart(start);
    };
    ws.onmessage = (event: MessageEvent) => {
      if (this.#ws === ws) this.#receive(event.data);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.#ws === ws) this.#onClose(event.code, event.reason);
    };
  }

  #write(frame: unknown[]): boolean {
    const ws = this.#ws;
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  #onClose(code: number, reason: string): void {
    this.#ws = null;
    this.#live = false;
    this.#viewId = null;
    clearInterval(this.#pingTimer);
    this.#clearEvents();
    clearTimeout(this.#startTimer);
    this.#setWaiting('view-start', false);
    this.#setWaiting('busy', false);
    if (this.#stopped) return;
    if (code === CLOSE_CODE.VERSION_MISMATCH) return this.#versionMismatch();
    if (code === CLOSE_CODE.NO_SESSION) {
      this.#stopped = true;
      this.#status.setBanner('cookies');
      return this.hooks.emit('disconnect', { code, reason });
    }
    // The view is gone with the socket: start the current URL's view again (never a POST).
    this.#start = { url: this.#currentUrl(), method: 'GET' };
    if (!this.#disconnected) {
      this.#disconnected = true;
      this.#status.setBanner('disconnected');
      this.hooks.emit('disconnect', { code, reason });
    }
    if (!this.settings.CLIENT_AUTO_RECONNECT) return;
    const base = this.settings.CLIENT_AUTO_RECONNECT_TIMEOUT;
    const delay =
      code === CLOSE_CODE.SERVER_RESTART || this.settings.reloadOnReconnect
        ? this.#random() * Math.min(base, RESTART_RECONNECT_MS)
        : reconnectDelay(this.#attempt++, base, this.#random);
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  /** Closes on purpose: no banner, no reconnect. */
  #halt(): void {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    clearInterval(this.#pingTimer);
    if (this.#viewId !== null) this.#write([MESSAGE.VIEW_STOP, this.#viewId]);
    const ws = this.#ws;
    this.#ws = null;
    ws?.close(CLOSE_CODE.NORMAL);
    this.#onClose(CLOSE_CODE.NORMAL, '');
  }

  #versionMismatch(): void {
    let reloaded = true;
    try {
      const storage = this.#win.sessionStorage;
      reloaded = storage.getItem(RELOAD_GUARD_KEY) !== null;
      if (!reloaded) storage.setItem(RELOAD_GUARD_KEY, '1');
    } catch {
      // No sessionStorage: a reload could loop, so show the banner instead.
    }
    if (!reloaded) return this.#reload();
    this.#stopped = true;
    this.#status.setBanner('version');
    this.hooks.emit('disconnect', { code: CLOSE_CODE.VERSION_MISMATCH, reason: 'version' });
  }

  /** Client pings find a dead socket (a sleeping laptop) long before TCP does. */
  #startPing(): void {
    clearInterval(this.#pingTimer);
    const interval = this.settings.CLIENT_PING_INTERVAL * 1000;
    if (interval <= 0) return;
    this.#pingUnanswered = false;
    this.#pingTimer = setInterval(() => {
      const ws = this.#ws;
      if (!ws) return;
      if (this.#pingUnanswered) {
        // Closing a dead socket may take minutes to report: drop it now.
        this.#ws = null;
        ws.close();
        return this.#onClose(1006, 'ping timeout');
      }
      this.#pingUnanswered = true;
      this.#write([MESSAGE.PING, Date.now()]);
    }, interval);
  }

  // Incoming frames ----------------------------------------------------------------------

  #receive(raw: unknown): void {
    let frame: unknown;
    try {
      frame = JSON.parse(String(raw));
    } catch {
      return;
    }
    if (!Array.isArray(frame) || typeof frame[0] !== 'string') return;
    if (!this.#live) this.#onLive();
    try {
      this.#handle(frame);
    } catch (error) {
      // No frame may break the message loop.
      console.error(error);
    }
  }

  #onLive(): void {
    this.#live = true;
    this.#attempt = 0;
    if (this.#disconnected) {
      this.#disconnected = false;
      this.#status.setBanner(null);
      this.hooks.emit('reconnect', {});
    }
  }

  #handle(frame: unknown[]): void {
    const [kind, viewId] = frame;
    const forThisView = viewId === this.#viewId && viewId !== null;
    switch (kind) {
      case MESSAGE.PONG:
        this.#pingUnanswered = false;
        return;
      case MESSAGE.VIEW_STARTED:
        if (typeof viewId === 'string') this.#onViewStarted(viewId);
        return;
      case MESSAGE.REDIRECT:
      case MESSAGE.HTTP_REDIRECT:
        // A redirect before the view's first tree answers its start, and takes the start's
        // history entry, as an HTTP redirect does: back must not lead to a URL that only
        // redirects again. (A null view id sends the tab to the very URL it asked for: the
        // browser turns a navigation to the current URL into a replacement by itself.)
        if (viewId === null || forThisView)
          this.#redirect(String(frame[2]), kind === MESSAGE.REDIRECT, forThisView && this.#seq < 0);
        return;
      case MESSAGE.CUSTOM:
        if (viewId === null || forThisView) {
          this.hooks.emit('message', { data: frame[2], viewId: viewId as string | null });
        }
        return;
      case MESSAGE.BUSY:
        if (viewId === null || forThisView) {
          const retry = frame[2];
          this.#setWaiting('busy', true, typeof retry === 'number' ? retry : undefined);
        }
        return;
    }
    if (!forThisView) return;
    switch (kind) {
      case MESSAGE.TREE:
        return this.#onTree(frame[2], frame[3] as SerializedNode, frame[4]);
      case MESSAGE.PATCHES:
        return this.#onPatches(frame[2], frame[3] as Patch[]);
      case MESSAGE.TITLE:
        if (typeof frame[2] === 'string') this.#win.document.title = frame[2];
        return;
      case MESSAGE.DONE:
        return this.#finishEvent(frame[2] as number);
    }
  }

  #onViewStarted(viewId: string): void {
    this.#writePendingEntry();
    this.#viewId = viewId;
    this.#seq = -1;
    this.#resyncing = false;
    this.#clearEvents();
    try {
      this.#win.sessionStorage.removeItem(RELOAD_GUARD_KEY);
    } catch {
      // Without sessionStorage there is no guard to clear.
    }
  }

  #onTree(seq: unknown, tree: SerializedNode, title: unknown): void {
    if (typeof seq !== 'number' || !Array.isArray(tree)) return;
    this.#seq = seq;
    this.#resyncing = false;
    clearTimeout(this.#startTimer);
    this.#setWaiting('view-start', false);
    this.#setWaiting('busy', false);
    if (typeof title === 'string') this.#win.document.title = title;
    try {
      this.view.renderTree(tree);
    } catch (error) {
      // Only a failing whole tree is the server's to answer (with its 500 view).
      this.#reportError(error);
      return;
    }
    if (this.#scrollOnTree) {
      this.#scrollOnTree = false;
      this.#win.scrollTo?.(0, 0);
    }
  }

  #onPatches(seq: unknown, patches: Patch[]): void {
    if (typeof seq !== 'number' || !Array.isArray(patches) || this.#resyncing) return;
    if (seq <= this.#seq) return; // a repeat
    if (seq !== this.#seq + 1) return this.#resync();
    try {
      this.view.applyPatches(patches);
      this.#seq = seq;
    } catch (error) {
      console.warn('lona: patch failed, asking for the whole tree:', error);
      this.#resync();
    }
  }

  #resync(): void {
    this.#resyncing = true;
    this.#write([MESSAGE.RESYNC, this.#viewId, this.#seq]);
  }

  #redirect(target: string, inApp: boolean, replace: boolean): void {
    const url = new URL(target, this.#currentUrl());
    if (!isSafeUrl(url.href, 'a')) return console.error(`lona: refused redirect to ${target}`);
    if (inApp && url.origin === this.#win.location.origin) {
      return this.navigate(url.href, 'GET', undefined, replace);
    }
    // Leaving the app before the next view started: the page load takes that navigation's
    // place in history (a new entry after the current page, or the entry it was to replace).
    const pending = this.#pendingEntry;
    this.#pendingEntry = null;
    if (pending ? pending.replace : replace) this.#replace(url.href);
    else this.#assign(url.href);
  }

  #reportError(error: unknown): void {
    const err = error instanceof Error ? error : new Error(String(error));
    console.error('lona:', err);
    this.#write([MESSAGE.CLIENT_ERROR, this.#viewId, err.message, err.stack ?? '']);
  }

  // Views and history -------------------------------------------------------------------

  #startView(request: StartRequest, isNavigation: boolean): void {
    this.#viewId = null; // frames of the old view are ignored from now on
    this.#clearEvents();
    this.#url = withoutHash(request.url);
    this.#scrollOnTree = isNavigation;
    this.#start = request;
    if (this.#ws?.readyState === 1) this.#sendStart(request);
  }

  #sendStart(request: StartRequest): void {
    this.#start = null;
    clearTimeout(this.#startTimer);
    this.#startTimer = setTimeout(
      () => this.#setWaiting('view-start', true),
      this.settings.CLIENT_VIEW_START_TIMEOUT * 1000,
    );
    const { url, method, post } = request;
    this.#write(
      method === 'POST' ? [MESSAGE.VIEW_START, url, method, post ?? {}] : [MESSAGE.VIEW_START, url],
    );
  }

  #onPopState = (): void => {
    // Back or forward wins over a navigation still waiting for its view.
    this.#pendingEntry = null;
    const url = this.#win.location.href;
    // Back or forward between fragments of the same page is the browser's.
    if (withoutHash(url) === this.#url) return;
    this.#startView({ url, method: 'GET' }, false);
  };

  #onPageHide = (): void => {
    // A leaving page must not show the disconnect banner nor reconnect.
    this.#halt();
  };

  #onPageShow = (event: PageTransitionEvent): void => {
    if (!event.persisted || !this.#stopped) return;
    // Back from the back-forward cache: the old view is gone, start it again.
    this.#stopped = false;
    this.#startView({ url: this.#win.location.href, method: 'GET' }, false);
    this.#connect();
  };

  // Input events ------------------------------------------------------------------------

  #sendInput(name: string, nodeId: NodeId, targetNodeId: NodeId | null, data: unknown): void {
    const viewId = this.#viewId;
    if (viewId === null) return;
    const eventId = ++this.#eventId;
    if (!this.#write([MESSAGE.INPUT_EVENT, viewId, eventId, name, nodeId, targetNodeId, data]))
      return;
    const node = this.view.getNode(nodeId);
    const element = node?.nodeType === 1 ? (node as Element) : undefined;
    if (element) {
      this.#busy.set(element, (this.#busy.get(element) ?? 0) + 1);
      element.setAttribute('lona-busy', '');
    }
    const pending: PendingEvent = { element, overdue: false, timer: undefined! };
    pending.timer = setTimeout(() => {
      pending.overdue = true;
      this.#setWaiting('input-event', true);
    }, this.settings.CLIENT_INPUT_EVENT_TIMEOUT * 1000);
    this.#events.set(eventId, pending);
  }

  #finishEvent(eventId: number): void {
    const pending = this.#events.get(eventId);
    if (!pending) return;
    this.#events.delete(eventId);
    clearTimeout(pending.timer);
    const { element } = pending;
    if (element) {
      const count = (this.#busy.get(element) ?? 1) - 1;
      if (count > 0) this.#busy.set(element, count);
      else {
        this.#busy.delete(element);
        element.removeAttribute('lona-busy');
      }
    }
    if (![...this.#events.values()].some((event) => event.overdue)) {
      this.#setWaiting('input-event', false);
    }
  }

  #clearEvents(): void {
    for (const eventId of [...this.#events.keys()]) this.#finishEvent(eventId);
  }

  #setWaiting(reason: string, on: boolean, retryAfterMs?: number): void {
    if (on === this.#waiting.has(reason) && retryAfterMs === this.#waiting.get(reason)) return;
    if (on) this.#waiting.set(reason, retryAfterMs);
    else this.#waiting.delete(reason);
    const reasons = [...this.#waiting.keys()];
    this.#status.setWaiting(reasons);
    const waiting = reasons.length > 0;
    const retry = this.#waiting.get('busy');
    this.hooks.emit(
      'waiting',
      retry === undefined ? { waiting, reasons } : { waiting, reasons, retryAfterMs: retry },
    );
  }
}

function withoutHash(url: string): string {
  return url.split('#')[0]!;
}
