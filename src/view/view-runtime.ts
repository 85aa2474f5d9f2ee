/**
 * `ViewRuntime`: one running interactive view (SPEC §2, §3.3). It owns the view's life
 * (queued → running → finished | stopped → removed), its AbortSignal, the tree it shows
 * and the patch recorder of that tree, the per-view sequence number, the connections
 * attached to it (several tabs for a daemon view), its lane, its pending awaits and
 * sleeps. It does not parse frames or own sockets (server/connection.ts) and does not
 * choose which runtime a tab gets (server/view-starter.ts).
 *
 * Stopping is immediate and idempotent and never waits for `handleRequest` to settle
 * (STYLE rule 6): the signal aborts, awaits and sleeps reject, the runtime slot is freed,
 * `onStop(reason)` runs once; `onCleanup()` runs once when the view is removed.
 */
import {
  LonaError,
  UserAbort,
  ForbiddenError,
  NotFoundError,
  type WarningCode,
} from '../errors.js';
import { BaseNode } from '../html/base-node.js';
import type { Node } from '../html/node.js';
import { RawHtml } from '../html/raw-html.js';
import { PatchRecorder } from '../html/patch-recorder.js';
import { serializeNode } from '../html/serialize.js';
import { checkRedirectUrl } from '../html/url-safety.js';
import { MESSAGE } from '../protocol/messages.js';
import type { Logger } from '../internal/logger.js';
import { randomId } from '../internal/random-id.js';
import type { Settings } from '../settings.js';
import type { Pool, Release } from '../resources/pool.js';
import type { Route } from '../routing/route.js';
import { AwaitRegistry, type AwaitOptions } from './awaits.js';
import { handled, hookContext, type HookContext, type HookKind } from './hook-context.js';
import type { ThreadPool } from '../resources/thread-pool.js';
import type { InputEvent } from './input-event.js';
import { Lane, type LaneJob } from './lane.js';
import type { Request } from './request.js';
import {
  HtmlResponse,
  HttpRedirectResponse,
  RedirectResponse,
  Response,
  TemplateResponse,
  TemplateStringResponse,
  assertInteractiveResponse,
} from './responses.js';
import { RUNTIME, type View } from './view.js';
import type { ErrorStatus } from './error-views.js';

export type StopReason = Error | undefined;

/** Retry hint sent with the 503 view. */
const BUSY_RETRY_AFTER_MS = 5_000;

/** A tab's connection as the runtime sees it: somewhere to send frames. */
export interface ViewConnection {
  /**
   * Queues a frame. `droppable` frames (trees, patches) may be skipped while the socket is
   * a slow reader; it gets one full tree when it drains (SPEC §4.8).
   */
  send(frame: string, droppable?: boolean): void;
  /** The runtime stopped showing itself on this connection (redirect). */
  readonly closed: boolean;
}

/** What a runtime needs from the server around it. */
export interface RuntimeHost {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly pools: { runtime: Pool; worker: Pool };
  readonly threads: ThreadPool;
  /** Renders a template response to HTML (the server owns the template engine). */
  renderTemplate(response: TemplateResponse | TemplateStringResponse): string;
  /** Runs the error view for `error` and returns what to show. */
  renderErrorView(status: ErrorStatus, error: unknown, request: Request): Promise<unknown>;
  /** Notification middlewares and bookkeeping. */
  onViewStop(runtime: ViewRuntime, reason: StopReason): void;
  onViewRemoved(runtime: ViewRuntime): void;
  /** handleRequest settled (possibly long after the view stopped). */
  onViewSettled(runtime: ViewRuntime): void;
  /** Registers or unregisters a daemon view; throws when its key is taken. */
  setDaemon(runtime: ViewRuntime, value: boolean): void;
}

export type RuntimeState = 'created' | 'queued' | 'running' | 'finished' | 'stopped';

const NO_CONNECTIONS: readonly ViewConnection[] = Object.freeze([]);

/** A pending `sleep()`: its timer, and how to reject it when the view stops. */
interface Sleep {
  timer: NodeJS.Timeout;
  reject: (reason: unknown) => void;
}

export class ViewRuntime {
  /** 128-bit random id, as the protocol requires (SPEC §7). */
  readonly id = randomId(16);
  readonly view: View;
  readonly request: Request;
  /** null for a 404 view started over the socket. */
  readonly route: Route | null;
  readonly userKey: string;
  readonly host: RuntimeHost;
  readonly startedAt = Date.now();

  // Thousands of views may sit idle at once (SPEC §4.7), so what an idle view may never
  // need (its lane, awaits, sleeps, cleanups, warnings, even its AbortController) is
  // created on first use; null until then.
  #lane: Lane | null = null;
  #awaits: AwaitRegistry | null = null;
  #state: RuntimeState = 'created';
  #stopReason: StopReason;
  #stopped = false;
  #onStopCalled = false;
  #removed = false;
  #settled = false;
  #isDaemon = false;
  #controller: AbortController | null = null;
  /** What the signal aborts with, set when the view stops (the signal may not exist yet). */
  #abortReason: Error | undefined;
  /** Ends `run()`'s wait when the view stops before handleRequest settles. */
  #endRun: (() => void) | null = null;
  /**
   * The attached tabs: usually one, several for a daemon view. They change once per tab, so
   * the array is replaced rather than changed, by concat() (which, unlike push() or a
   * spread, allocates no spare room: a one-tab view keeps 56 bytes, where a Set costs 184).
   */
  #connections: readonly ViewConnection[] = NO_CONNECTIONS;
  #sleeps: Set<Sleep> | null = null;
  #cleanups: Array<() => void> | null = null;
  #releaseSlot: Release | null = null;
  #root: BaseNode | null = null;
  #recorder: PatchRecorder | null = null;
  #seq = 0;
  #title: string | undefined;
  #warned: Set<WarningCode> | null = null;
  /** Once a hook threw, the error view is shown once and later errors are only logged. */
  #crashed = false;
  readonly #name: string | undefined;

  constructor(init: {
    view: View;
    request: Request;
    route: Route | null;
    userKey: string;
    host: RuntimeHost;
    /** The name in logs, when it is not the view's class name. */
    name?: string;
  }) {
    this.view = init.view;
    this.#name = init.name;
    this.request = init.request;
    this.route = init.route;
    this.userKey = init.userKey;
    this.host = init.host;
    (this.view as unknown as Record<symbol, unknown>)[RUNTIME] = this;
  }

  /** The view's class name, for logs. */
  get name(): string {
    return this.#name || this.view.constructor.name || 'View';
  }

  get state(): RuntimeState {
    return this.#state;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  get removed(): boolean {
    return this.#removed;
  }

  get stopReason(): StopReason {
    return this.#stopReason;
  }

  /** Stopped, but `handleRequest` has not settled: counted as a zombie after a while. */
  get unsettled(): boolean {
    return this.#stopped && !this.#settled && this.#state !== 'created';
  }

  /** The view's lane of input events and channel deliveries (made by the first job). */
  get lane(): Lane {
    if (this.#lane === null) {
      this.#lane = new Lane(
        this.host.pools.worker,
        this.host.settings.MAX_QUEUED_INPUT_EVENTS_PER_VIEW,
        (error) => this.host.logger.error(`${this.name}: lane job failed`, error),
      );
      // remove() and discard() close the lane if there is one; a later one is born closed.
      if (this.#removed) this.#lane.close();
    }
    return this.#lane;
  }

  get awaits(): AwaitRegistry {
    return (this.#awaits ??= new AwaitRegistry());
  }

  /** Aborts with the stop reason; made on first use (already aborted after a stop). */
  get signal(): AbortSignal {
    if (this.#controller === null) {
      this.#controller = new AbortController();
      if (this.#stopped) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get seq(): number {
    return this.#seq;
  }

  get root(): BaseNode | null {
    return this.#root;
  }

  get connections(): readonly ViewConnection[] {
    return this.#connections;
  }

  get isDaemon(): boolean {
    return this.#isDaemon;
  }

  set isDaemon(value: boolean) {
    if (value === this.#isDaemon) return;
    this.host.setDaemon(this, value);
    this.#isDaemon = value;
  }

  /** Runs `fn` when the view is removed (subscriptions, timers of helpers). */
  addCleanup(fn: () => void): void {
    if (this.#removed) fn();
    else (this.#cleanups ??= []).push(fn);
  }

  // --- connections -------------------------------------------------------------------------

  /** Attaches a tab; a running view sends it the current tree at once. */
  attach(connection: ViewConnection): void {
    if (!this.#connections.includes(connection)) {
      this.#connections = this.#connections.concat(connection);
    }
  }

  detach(connection: ViewConnection): void {
    if (!this.#connections.includes(connection)) return;
    this.#connections =
      this.#connections.length === 1
        ? NO_CONNECTIONS
        : this.#connections.filter((attached) => attached !== connection);
  }

  /**
   * Sends the whole current tree (and title) to one connection (attach, resync, drain).
   * Pending patches are flushed to everyone first, so nobody gets a change twice.
   */
  sendTreeTo(connection: ViewConnection): void {
    if (!this.#root) return;
    this.flush();
    connection.send(this.#treeFrame(), true);
  }

  #broadcast(frame: string, droppable = false): void {
    for (const connection of this.#connections) {
      if (!connection.closed) connection.send(frame, droppable);
    }
  }

  #treeFrame(): string {
    const message: unknown[] = [MESSAGE.TREE, this.id, this.#seq, serializeNode(this.#root!)];
    if (this.#title !== undefined) message.push(this.#title);
    return JSON.stringify(message);
  }

  // --- running handleRequest -------------------------------------------------------------------

  /**
   * Queues for a runtime slot and runs `handleRequest`. Resolves when it settled or the
   * view stopped, whichever is first; never rejects.
   */
  async run(): Promise<void> {
    if (this.#stopped) return;
    this.#state = 'queued';
    try {
      // A free slot is taken at once. Only a start that queues needs the signal (to leave
      // the queue when its tab leaves), so most views never make one.
      const pool = this.host.pools.runtime;
      this.#releaseSlot = pool.tryAcquire() ?? (await pool.acquire({ signal: this.signal }));
    } catch (error) {
      if (!this.#stopped) await this.fail(error);
      return;
    }
    if (this.#stopped) {
      this.#freeSlot();
      return;
    }
    this.#state = 'running';
    const settled = this.#callUser('request', 'handleRequest', () =>
      this.view.handleRequest(this.request),
    ).then(
      (result) => {
        this.#settled = true;
        this.host.onViewSettled(this);
        if (this.#stopped) return;
        try {
          // Showing the result can fail too (a JSON response, a tree shown elsewhere).
          this.#handleResult(result);
        } catch (error) {
          return this.fail(error);
        }
        if (!this.#stopped) this.#finish();
      },
      (error: unknown) => {
        this.#settled = true;
        this.host.onViewSettled(this);
        if (this.#stopped) return;
        return this.fail(error);
      },
    );
    // Stopping wins the race: a handleRequest that settles later is ignored. stop() ends
    // the wait through #endRun (no abort listener, so no signal is needed for it).
    await new Promise<void>((resolve, reject) => {
      this.#endRun = resolve;
      settled.then(resolve, reject);
    });
    this.#endRun = null;
  }

  /** handleRequest returned: the view stays alive (callbacks keep working), its slot is freed. */
  #finish(): void {
    this.#state = 'finished';
    this.#freeSlot();
    this.#callOnStop(undefined);
  }

  /** Shows what a hook returned: a tree, HTML, a template, a redirect. */
  #handleResult(result: unknown): void {
    if (result === undefined || result === null) {
      this.flush();
      return;
    }
    if (result instanceof RedirectResponse || result instanceof HttpRedirectResponse) {
      this.redirect(result);
      return;
    }
    this.show(result as never);
  }

  /** A redirect stops the view (onStop(undefined)) and navigates its tabs. */
  redirect(response: RedirectResponse | HttpRedirectResponse): void {
    assertInteractiveResponse(response);
    checkRedirectUrl(response.url);
    const kind = response instanceof RedirectResponse ? MESSAGE.REDIRECT : MESSAGE.HTTP_REDIRECT;
    this.flush();
    this.#broadcast(JSON.stringify([kind, this.id, response.url]));
    this.stop(undefined);
  }

  /**
   * A hook threw: show the matching error view once, then stop with the error as reason.
   * Later errors of the same view are only logged.
   */
  async fail(error: unknown): Promise<void> {
    const busy = error instanceof LonaError && error.code.startsWith('LONA_ERR_POOL_');
    const status: ErrorStatus = busy
      ? 503
      : error instanceof ForbiddenError
        ? 403
        : error instanceof NotFoundError
          ? 404
          : 500;
    if (status === 500) this.host.logger.error(`${this.name} failed`, error);
    else if (busy)
      this.host.logger.warn(
        `${(error as LonaError).code}: ${this.name} was not started: ${(error as Error).message}`,
      );
    if (this.#crashed || this.#stopped) return;
    this.#crashed = true;
    await this.#showErrorView(status, error);
    if (busy) {
      // The client keeps its "waiting for server" state and may retry after the hint.
      this.#broadcast(JSON.stringify([MESSAGE.BUSY, this.id, BUSY_RETRY_AFTER_MS]));
    }
    this.stop(error instanceof Error ? error : new Error(String(error)));
  }

  async #showErrorView(status: ErrorStatus, error: unknown): Promise<void> {
    try {
      const content = await this.host.renderErrorView(status, error, this.request);
      if (content instanceof RedirectResponse || content instanceof HttpRedirectResponse) {
        this.redirect(content);
        return;
      }
      this.show(this.#toNode(content));
    } catch (viewError) {
      this.host.logger.error(`The ${status} error view failed`, viewError);
      this.show(new RawHtml(`<h1>${status}</h1>`));
    }
  }

  // --- showing -------------------------------------------------------------------------------

  /**
   * Shows `html`: the whole tree when it is not the tree shown now, else the patches
   * recorded since the last flush (SPEC §2.3). Returns at once; the frames are queued.
   */
  show(html?: unknown, options: { title?: string } = {}): void {
    if (this.#stopped) throw this.#stopReason ?? new UserAbort('The view was redirected.');
    if (options.title !== undefined) this.setTitle(options.title);
    if (html === undefined) {
      this.flush();
      return;
    }
    const root = this.#toNode(html);
    if (root === this.#root) {
      this.flush();
      return;
    }
    // A new tree: the old one is free to be shown elsewhere.
    this.#recorder?.detach();
    this.#recorder = new PatchRecorder(root);
    this.#root = root;
    this.#seq++;
    this.#broadcast(this.#treeFrame(), true);
  }

  /** Sends every pending mutation of the shown tree, whoever made it, as one batch. */
  flush(): void {
    const recorder = this.#recorder;
    if (!recorder) return;
    const { patches, origins } = recorder.flush();
    if (patches.length === 0) return;
    this.#seq++;
    if (origins === null) {
      this.#broadcast(JSON.stringify([MESSAGE.PATCHES, this.id, this.#seq, patches]), true);
      return;
    }
    // A change event's own value is not echoed to the tab that sent it (SPEC §2.5).
    let shared: string | undefined;
    for (const connection of this.#connections) {
      if (connection.closed) continue;
      if (!origins.includes(connection)) {
        shared ??= JSON.stringify([MESSAGE.PATCHES, this.id, this.#seq, patches]);
        connection.send(shared, true);
      } else {
        const own = patches.filter((_, index) => origins[index] !== connection);
        connection.send(JSON.stringify([MESSAGE.PATCHES, this.id, this.#seq, own]), true);
      }
    }
  }

  setTitle(title: string): void {
    if (title === this.#title) return;
    this.#title = String(title);
    this.#broadcast(JSON.stringify([MESSAGE.TITLE, this.id, this.#title]));
  }

  get title(): string | undefined {
    return this.#title;
  }

  /** Sends a custom message to every tab of this view. */
  sendMessage(data: unknown): void {
    this.#broadcast(JSON.stringify([MESSAGE.CUSTOM, this.id, data]));
  }

  #toNode(html: unknown): BaseNode {
    if (html instanceof BaseNode) return html;
    if (typeof html === 'string') return new RawHtml(html);
    if (html instanceof Response) {
      assertInteractiveResponse(html);
      if (html instanceof HtmlResponse) return this.#toNode(html.html);
      if (html instanceof TemplateResponse || html instanceof TemplateStringResponse) {
        return new RawHtml(this.host.renderTemplate(html));
      }
      return new RawHtml(typeof html.body === 'string' ? html.body : '');
    }
    throw new LonaError('LONA_ERR_RESPONSE_BAD_VALUE', { got: typeof html });
  }

  // --- awaits and sleep -------------------------------------------------------------------------

  /** Arms an await of `name` (null: any) on `nodes`; only valid while handleRequest runs. */
  awaitEvent(
    method: string,
    name: string | null,
    nodes: Node[] | null,
    options: AwaitOptions & { html?: unknown } = {},
  ): Promise<InputEvent> {
    const context = hookContext.getStore();
    if ((context?.runtime === this && context.kind === 'handler') || this.#state !== 'running') {
      throw new LonaError('LONA_ERR_VIEW_AWAIT_OUTSIDE_REQUEST', { method });
    }
    if (this.#stopped) return handled(Promise.reject(this.#stopReason ?? new UserAbort()));
    if (options.html !== undefined) this.show(options.html);
    return handled(this.awaits.arm(name, nodes, options));
  }

  /** Resolves after `ms`; rejects with the stop reason when the view stops first. */
  sleep(ms: number): Promise<void> {
    if (this.#stopped) return handled(Promise.reject(this.#stopReason ?? new UserAbort()));
    return handled(
      new Promise<void>((resolve, reject) => {
        const sleeps = (this.#sleeps ??= new Set());
        const entry: Sleep = {
          timer: setTimeout(() => {
            sleeps.delete(entry);
            resolve();
          }, ms),
          reject,
        };
        sleeps.add(entry);
      }),
    );
  }

  // --- lane ------------------------------------------------------------------------------------

  /** Queues a job in this view's lane; false when the lane is full (input flood). */
  enqueue(job: LaneJob): boolean {
    return this.lane.push(job);
  }

  /**
   * Calls user code as `kind`, timing its synchronous part (SPEC §4.6). Errors thrown
   * synchronously become rejections.
   */
  #callUser<T>(kind: HookKind, hook: string, fn: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    let result: T | Promise<T>;
    try {
      result = hookContext.run(new RuntimeHookContext(kind, this), fn);
    } catch (error) {
      return Promise.reject(error);
    } finally {
      this.#checkBlocked(hook, started);
    }
    return Promise.resolve(result);
  }

  /** Runs a handler of this view (input event, channel message) in the handler context. */
  callHandler<T>(hook: string, fn: () => T | Promise<T>): Promise<T> {
    return this.#callUser('handler', hook, fn);
  }

  /** Logs a coded warning once per view. */
  warnOnce(code: WarningCode, params: Record<string, unknown>): void {
    const warned = (this.#warned ??= new Set());
    if (warned.has(code)) return;
    warned.add(code);
    this.host.logger.warning(code, params);
  }

  #checkBlocked(hook: string, started: number): void {
    const ms = performance.now() - started;
    if (ms > this.host.settings.EVENT_LOOP_BLOCK_WARN_MS) {
      this.host.logger.warning('LONA_WARN_EVENT_LOOP_BLOCKED', {
        view: this.name,
        hook,
        ms: Math.round(ms),
      });
    }
  }

  // --- stopping --------------------------------------------------------------------------------

  /** Stops the view now (idempotent). `undefined`: stopped normally (redirect). */
  stop(reason: StopReason): void {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#stopReason = reason;
    if (this.#state !== 'finished') this.#state = 'stopped';
    const abortReason = reason ?? new UserAbort('The view was redirected.');
    this.#abortReason = abortReason;
    this.#controller?.abort(abortReason);
    this.#endRun?.();
    this.#awaits?.rejectAll(abortReason);
    const sleeps = this.#sleeps;
    this.#sleeps = null;
    for (const sleep of sleeps ?? []) {
      clearTimeout(sleep.timer);
      sleep.reject(abortReason);
    }
    this.#freeSlot();
    this.#callOnStop(reason);
  }

  /**
   * Drops a runtime whose `handleRequest` never ran (its tab re-attached to a daemon
   * view instead): no hooks run, since the view never started.
   */
  discard(): void {
    this.#stopped = true;
    this.#removed = true;
    this.#onStopCalled = true;
    this.#abortReason = new UserAbort('Replaced by a daemon view.');
    this.#controller?.abort(this.#abortReason);
    this.#lane?.close();
    this.#connections = NO_CONNECTIONS;
  }

  /** Removes the view: stops it (UserAbort) if needed, then `onCleanup()` once. */
  remove(reason: StopReason = new UserAbort()): void {
    if (this.#removed) return;
    this.stop(reason);
    this.#removed = true;
    this.#lane?.close();
    this.#recorder?.detach();
    this.#recorder = null;
    this.#connections = NO_CONNECTIONS;
    const cleanups = this.#cleanups;
    this.#cleanups = null;
    for (const cleanup of cleanups ?? []) {
      try {
        cleanup();
      } catch (error) {
        this.host.logger.error(`${this.name}: cleanup failed`, error);
      }
    }
    this.#runHook('onCleanup', () => this.view.onCleanup());
    this.host.onViewRemoved(this);
  }

  #freeSlot(): void {
    this.#releaseSlot?.();
    this.#releaseSlot = null;
  }

  #callOnStop(reason: StopReason): void {
    if (this.#onStopCalled) return;
    this.#onStopCalled = true;
    this.#runHook('onStop', () => this.view.onStop(reason));
    this.host.onViewStop(this, reason);
  }

  /** Runs a releasing hook outside the pools, awaited up to VIEW_HOOK_TIMEOUT_MS (SPEC §4.2). */
  #runHook(hook: string, fn: () => unknown): void {
    const started = performance.now();
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      this.host.logger.warning('LONA_WARN_HOOK_THREW', {
        hook: `${this.name}.${hook}`,
        reason: describe(error),
      });
      return;
    } finally {
      this.#checkBlocked(hook, started);
    }
    if (result instanceof Promise) {
      const timeoutMs = this.host.settings.VIEW_HOOK_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
        timer.unref();
      });
      void Promise.race([result.then(() => 'done' as const), timeout]).then(
        (outcome) => {
          clearTimeout(timer);
          if (outcome === 'timeout') {
            this.host.logger.warning('LONA_WARN_HOOK_TIMEOUT', {
              hook: `${this.name}.${hook}`,
              ms: timeoutMs,
            });
          }
        },
        (error: unknown) => {
          clearTimeout(timer);
          this.host.logger.warning('LONA_WARN_HOOK_THREW', {
            hook: `${this.name}.${hook}`,
            reason: describe(error),
          });
        },
      );
    }
  }
}

/** The hook context of a runtime's code; its signal is read (and made) only when used. */
class RuntimeHookContext implements HookContext {
  readonly kind: HookKind;
  readonly runtime: ViewRuntime;
  readonly threads: ThreadPool;

  constructor(kind: HookKind, runtime: ViewRuntime) {
    this.kind = kind;
    this.runtime = runtime;
    this.threads = runtime.host.threads;
  }

  get signal(): AbortSignal {
    return this.runtime.signal;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
