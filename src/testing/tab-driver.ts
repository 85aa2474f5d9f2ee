/// <reference lib="dom" />
/**
 * The protocol side of one test tab, as client/connection.ts is for a browser tab: its
 * socket, the current view id and sequence number, view starts and in-app navigation,
 * input event ids with their `done`s, resyncs and client errors. The DOM work is done by
 * the browser client's own DomView in the tab's happy-dom window (tab-window.ts).
 *
 * Unlike the browser client it never reconnects on its own (a test says when), keeps no
 * history, pings nothing (the `ws` package answers the server's pings), and shows no
 * status UI. What a test may ask of a tab is TestView's business (test-view.ts).
 */
import { DomView } from '../client/dom-view.js';
import type { WidgetRegistry } from '../client/widgets.js';
import type { SubmitData } from '../protocol/events.js';
import { isSafeUrl } from '../protocol/markup-rules.js';
import { CLOSE_CODE, MESSAGE } from '../protocol/messages.js';
import type { NodeId, SerializedNode } from '../protocol/nodes.js';
import type { Patch } from '../protocol/patches.js';
import { createTabWindow, type TabWindow } from './tab-window.js';
import { TabSocket } from './tab-socket.js';
import { TestClientError, describeCloseCode } from './test-client-error.js';
import { deferred, type Deferred } from './wait.js';

export interface TabDriverInit {
  /** The server's origin, `http://host:port`. */
  origin: string;
  /** The URL the tab opens. */
  url: string;
  /** The user's Cookie header, read at every connect (a login may have changed it). */
  cookie(): string;
  headers: Record<string, string>;
  widgets: WidgetRegistry;
}

/** An input event on the wire, waiting for its `done`. */
export interface SentEvent {
  readonly eventId: number;
  readonly viewId: string;
  readonly name: string;
  readonly nodeId: NodeId;
  /** Resolves with the code `done` carried (undefined: handled); rejects when the tab disconnects. */
  readonly done: Deferred<string | undefined>;
}

/** What the browser client did because of one user action. */
export interface Effects {
  events: SentEvent[];
  navigated: boolean;
}

interface StartRequest {
  url: string;
  method: 'GET' | 'POST';
  post?: SubmitData;
}

export class TabDriver {
  readonly tab: TabWindow;
  readonly dom: DomView;
  /** Custom messages (`view.sendMessage(data)`) received for the views of this tab. */
  readonly messages: unknown[] = [];
  /** What went wrong on the client side: refused markup, failing widgets, patches that failed. */
  readonly errors: Error[] = [];
  /** Where an `http-redirect` sent the tab (a browser would load that page). */
  httpRedirectedTo: string | null = null;
  /** The close code of the last connection, once it closed. */
  closeCode: number | null = null;

  readonly #init: TabDriverInit;
  #socket: TabSocket | null = null;
  /** Counts sockets, so that a late close of an old socket cannot touch the current one. */
  #generation = 0;
  /** Why there is no socket: the message for verbs called while disconnected. */
  #disconnectReason: string | null = 'the tab is not connected yet';
  #viewId: string | null = null;
  #seq = -1;
  #resyncing = false;
  #eventId = 0;
  readonly #events = new Map<number, SentEvent>();
  /** A view start in progress: resolves when its first tree arrives (or it leaves the app). */
  #navigation: Deferred<void> | null = null;
  #navigationTarget: string | null = null;
  readonly #listeners = new Set<() => void>();
  #capture: Effects | null = null;
  #closed = false;

  constructor(init: TabDriverInit) {
    this.#init = init;
    this.tab = createTabWindow(init.url);
    this.dom = new DomView(this.tab.root, {
      send: (name, nodeId, targetNodeId, data) => this.#sendInput(name, nodeId, targetNodeId, data),
      navigate: (url, method, post) => void this.navigate(url, method, post),
      // A browser only logs these; a test may want to assert that there were none.
      onError: (error) => this.errors.push(error),
      widgets: init.widgets,
    });
    // happy-dom reports what a listener threw as an `error` event of the window.
    this.tab.window.addEventListener('error', (event) => {
      const { error, message } = event as unknown as ErrorEvent;
      this.errors.push(error instanceof Error ? error : new Error(String(message)));
    });
  }

  get url(): string {
    return this.tab.window.location.href;
  }

  get title(): string {
    return this.tab.document.title;
  }

  /** The id of the view the tab shows, or null (between views, or disconnected). */
  get viewId(): string | null {
    return this.#viewId;
  }

  get connected(): boolean {
    return this.#socket?.isOpen ?? false;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Why the tab is not connected, or null when it is. */
  get disconnectReason(): string | null {
    if (this.connected) return null;
    // The server's close frame arrived; the close event (with the code) follows.
    if (this.#socket) return 'the connection is closing';
    return this.#disconnectReason;
  }

  /** The view start in progress, or null. */
  get navigation(): Promise<void> | null {
    return this.#navigation?.promise ?? null;
  }

  /** The URL of the view start in progress. */
  get navigationTarget(): string | null {
    return this.#navigation ? this.#navigationTarget : null;
  }

  /** Calls `listener` after every frame and every connection change; returns its remover. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Opens a socket and starts the view for the tab's URL (never a POST, as after a
   * browser's reconnect); resolves when the view's first tree arrived.
   */
  async connect(): Promise<void> {
    if (this.#closed) throw new TestClientError('LONA_TEST_DISCONNECTED', 'the tab is closed');
    // Begun before the socket opens, so that a refused socket rejects it.
    const navigation = this.#beginNavigation(this.url);
    const generation = ++this.#generation;
    let socket: TabSocket;
    try {
      socket = await TabSocket.open({
        origin: this.#init.origin,
        cookie: this.#init.cookie(),
        headers: this.#init.headers,
        onFrame: (frame) => {
          if (generation === this.#generation) this.#onFrame(frame);
        },
        onClose: (code, reason) => {
          if (generation === this.#generation) this.#onClose(code, reason);
        },
      });
    } catch (error) {
      this.#failNavigation(error);
      throw error;
    }
    this.#socket = socket;
    this.#disconnectReason = null;
    this.closeCode = null;
    this.#startView({ url: this.url, method: 'GET' });
    return navigation;
  }

  /** Navigates inside the app, as the browser client does for links, forms and redirects. */
  navigate(url: string, method: 'GET' | 'POST' = 'GET', post?: SubmitData): Promise<void> {
    const href = new URL(url, this.url).href;
    this.tab.window.history.pushState(null, '', href);
    if (this.#capture) this.#capture.navigated = true;
    return this.#startView({ url: href, method, post });
  }

  /**
   * Runs a user action on the DOM and returns what the browser client did because of it:
   * the input events it sent and whether it navigated. Both happen synchronously inside
   * the DOM event listeners the action triggers.
   */
  capture(action: () => void): Effects {
    const effects: Effects = { events: [], navigated: false };
    const outer = this.#capture;
    this.#capture = effects;
    try {
      action();
    } finally {
      this.#capture = outer;
    }
    return effects;
  }

  /** Sends a custom message to the current view; false when disconnected. */
  sendMessage(data: unknown): boolean {
    return this.#socket?.send([MESSAGE.CUSTOM, this.#viewId, data]) ?? false;
  }

  /** Drops the connection without a close handshake, like a network failure. */
  async disconnect(): Promise<void> {
    const socket = this.#socket;
    if (!socket) return;
    this.#disconnectReason = 'the connection was dropped by view.disconnect()';
    await socket.terminate();
  }

  /** Closes the tab: leaves the view, closes the socket, and frees the window. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const socket = this.#socket;
    if (socket) {
      this.#disconnectReason = 'the tab was closed';
      if (this.#viewId !== null) socket.send([MESSAGE.VIEW_STOP, this.#viewId]);
      await socket.close(CLOSE_CODE.NORMAL);
    }
    this.#listeners.clear();
    this.dom.destroy();
    await this.tab.close();
  }

  // Views ---------------------------------------------------------------------------------

  #startView(request: StartRequest): Promise<void> {
    // Frames of the old view are ignored from now on.
    this.#viewId = null;
    this.#seq = -1;
    this.#resyncing = false;
    this.httpRedirectedTo = null;
    const navigation = this.#beginNavigation(request.url);
    const { url, method, post } = request;
    const frame =
      method === 'POST' ? [MESSAGE.VIEW_START, url, method, post ?? {}] : [MESSAGE.VIEW_START, url];
    // A socket that is closing gets its close event soon, which rejects with its code.
    if (!this.#socket) {
      this.#failNavigation(
        new TestClientError(
          'LONA_TEST_DISCONNECTED',
          `cannot start the view for ${url}: ${this.#disconnectReason ?? 'the socket is not open'}`,
        ),
      );
    } else {
      this.#socket.send(frame);
    }
    return navigation;
  }

  /** A redirect chain is one navigation: it ends at the first tree (or when the tab leaves). */
  #beginNavigation(url: string): Promise<void> {
    this.#navigationTarget = url;
    return (this.#navigation ??= deferred<void>()).promise;
  }

  #endNavigation(): void {
    const navigation = this.#navigation;
    this.#navigation = null;
    navigation?.resolve();
  }

  #failNavigation(error: unknown): void {
    const navigation = this.#navigation;
    this.#navigation = null;
    navigation?.reject(error);
  }

  // Frames --------------------------------------------------------------------------------

  #onFrame(frame: unknown[]): void {
    try {
      this.#handle(frame);
    } catch (error) {
      // No frame may break the message loop.
      this.errors.push(error instanceof Error ? error : new Error(String(error)));
    }
    this.#notify();
  }

  #handle(frame: unknown[]): void {
    const [kind, viewId] = frame;
    const forThisView = viewId === this.#viewId && viewId !== null;
    switch (kind) {
      case MESSAGE.VIEW_STARTED:
        if (typeof viewId === 'string') this.#onViewStarted(viewId);
        return;
      case MESSAGE.REDIRECT:
      case MESSAGE.HTTP_REDIRECT:
        if (viewId === null || forThisView) {
          this.#redirect(String(frame[2]), kind === MESSAGE.REDIRECT);
        }
        return;
      case MESSAGE.CUSTOM:
        if (viewId === null || forThisView) this.messages.push(frame[2]);
        return;
      case MESSAGE.DONE:
        // By event id, whatever view it was for: a redirect's `done` follows the redirect.
        this.#finishEvent(frame[2], frame[4]);
        return;
    }
    if (!forThisView) return;
    switch (kind) {
      case MESSAGE.TREE:
        this.#onTree(frame[2], frame[3] as SerializedNode, frame[4]);
        return;
      case MESSAGE.PATCHES:
        this.#onPatches(frame[2], frame[3] as Patch[]);
        return;
      case MESSAGE.TITLE:
        if (typeof frame[2] === 'string') this.tab.document.title = frame[2];
        return;
    }
  }

  #onViewStarted(viewId: string): void {
    this.#viewId = viewId;
    this.#seq = -1;
    this.#resyncing = false;
    // The server dropped the queued events of the views this tab left: no `done` comes.
    for (const [eventId, event] of this.#events) {
      if (event.viewId === viewId) continue;
      this.#events.delete(eventId);
      event.done.resolve(undefined);
    }
  }

  #onTree(seq: unknown, tree: SerializedNode, title: unknown): void {
    if (typeof seq !== 'number' || !Array.isArray(tree)) return;
    this.#seq = seq;
    this.#resyncing = false;
    if (typeof title === 'string') this.tab.document.title = title;
    try {
      this.dom.renderTree(tree);
    } catch (error) {
      // As the browser client: the server answers with the view's 500 view, a new tree.
      const err = error instanceof Error ? error : new Error(String(error));
      this.errors.push(err);
      this.#socket?.send([MESSAGE.CLIENT_ERROR, this.#viewId, err.message, err.stack ?? '']);
      return;
    }
    this.#endNavigation();
  }

  #onPatches(seq: unknown, patches: Patch[]): void {
    if (typeof seq !== 'number' || !Array.isArray(patches) || this.#resyncing) return;
    if (seq <= this.#seq) return; // a repeat
    if (seq !== this.#seq + 1) return this.#resync();
    try {
      this.dom.applyPatches(patches);
      this.#seq = seq;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.errors.push(new Error(`A patch failed to apply (the tab resynced): ${message}`));
      this.#resync();
    }
  }

  #resync(): void {
    this.#resyncing = true;
    this.#socket?.send([MESSAGE.RESYNC, this.#viewId, this.#seq]);
  }

  #redirect(target: string, inApp: boolean): void {
    let url: URL | null = null;
    try {
      url = new URL(target, this.url);
    } catch {
      // Refused below, as an unsafe URL is.
    }
    if (!url || !isSafeUrl(url.href, 'a')) {
      this.errors.push(new Error(`Refused a redirect to ${target}`));
      this.#endNavigation();
      return;
    }
    if (inApp && url.origin === new URL(this.url).origin) {
      void this.navigate(url.href);
      return;
    }
    // A browser would load that page; the test client reports where and stays.
    this.#viewId = null;
    this.httpRedirectedTo = url.href;
    this.#endNavigation();
  }

  // Input events --------------------------------------------------------------------------

  #sendInput(name: string, nodeId: NodeId, targetNodeId: NodeId | null, data: unknown): void {
    const viewId = this.#viewId;
    if (viewId === null || !this.#socket) return;
    const eventId = ++this.#eventId;
    const frame = [MESSAGE.INPUT_EVENT, viewId, eventId, name, nodeId, targetNodeId, data];
    if (!this.#socket.send(frame)) return;
    const event: SentEvent = { eventId, viewId, name, nodeId, done: deferred() };
    this.#events.set(eventId, event);
    this.#capture?.events.push(event);
  }

  #finishEvent(eventId: unknown, code: unknown): void {
    const event = this.#events.get(eventId as number);
    if (!event) return;
    this.#events.delete(event.eventId);
    event.done.resolve(typeof code === 'string' ? code : undefined);
  }

  // Connection ----------------------------------------------------------------------------

  #onClose(code: number, reason: string): void {
    this.#socket = null;
    this.#viewId = null;
    this.closeCode = code;
    this.#disconnectReason ??= `the server closed the connection with ${describeCloseCode(code)}${
      reason ? `: ${reason}` : ''
    }`;
    const error = new TestClientError('LONA_TEST_DISCONNECTED', this.#disconnectReason);
    for (const event of this.#events.values()) event.done.reject(error);
    this.#events.clear();
    this.#failNavigation(error);
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.errors.push(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
