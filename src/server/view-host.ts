/**
 * `ViewHost`: the server side of interactive views. It starts the view a tab asks for
 * (route → middlewares on a worker slot → daemon re-attach or a new runtime queued for a
 * runtime slot), stops the view a tab leaves, turns validated input event messages into
 * lane jobs, and implements the `RuntimeHost` the runtimes call back into. Frames are
 * parsed by server/connection.ts; the life of one view is view/view-runtime.ts.
 */
import type { App } from '../app.js';
import { NotFoundError, ServerStop, UserAbort } from '../errors.js';
import type { Logger } from '../internal/logger.js';
import { MESSAGE } from '../protocol/messages.js';
import type { Pools } from '../resources/pools.js';
import type { ThreadPool } from '../resources/thread-pool.js';
import type { Route } from '../routing/route.js';
import type { Settings } from '../settings.js';
import type { ErrorStatus } from '../view/error-views.js';
import { Request } from '../view/request.js';
import {
  HttpRedirectResponse,
  RedirectResponse,
  type TemplateResponse,
  type TemplateStringResponse,
} from '../view/responses.js';
import { RuntimeRegistry } from '../view/runtime-registry.js';
import { ViewRuntime, type RuntimeHost, type StopReason } from '../view/view-runtime.js';
import { View, type ViewClass } from '../view/view.js';
import type { ViewMetrics } from '../resources/metrics.js';
import { userKeyOf } from './sessions.js';
import { runInputEvent } from '../view/dispatch.js';
import type { MiddlewareChain } from './middlewares.js';
import type { Connection } from './connection.js';
import type { ClientMessage } from './message-validation.js';

/** How long a stopped view may keep running its handleRequest before it counts as a zombie. */
const ZOMBIE_AFTER_MS = 10_000;

type InputMessage = Extract<ClientMessage, { kind: typeof MESSAGE.INPUT_EVENT }>;

export interface ViewHostInit {
  app: App;
  pools: Pools;
  middlewares: MiddlewareChain;
  renderTemplate(response: TemplateResponse | TemplateStringResponse): string;
}

export class ViewHost implements RuntimeHost {
  readonly app: App;
  readonly settings: Settings;
  readonly logger: Logger;
  readonly pools: Pools;
  readonly registry = new RuntimeRegistry();
  readonly threads: ThreadPool;
  readonly #middlewares: MiddlewareChain;
  readonly #renderTemplate: ViewHostInit['renderTemplate'];
  /** The runtime each connection shows (one view per connection, SPEC §2.6). */
  readonly #shown = new Map<Connection, ViewRuntime>();
  readonly #zombies = new Set<ViewRuntime>();
  /** The zombie watch of each stopped, unsettled view; cleared when it settles, so it holds no view. */
  readonly #zombieWatches = new Map<ViewRuntime, NodeJS.Timeout>();

  constructor(init: ViewHostInit) {
    this.app = init.app;
    this.settings = init.app.settings;
    this.logger = init.app.logger;
    this.pools = init.pools;
    this.threads = init.app.threads;
    this.#middlewares = init.middlewares;
    this.#renderTemplate = init.renderTemplate;
  }

  renderTemplate(response: TemplateResponse | TemplateStringResponse): string {
    return this.#renderTemplate(response);
  }

  // --- starting and leaving views --------------------------------------------------------------

  /** A tab asks for the view of `url` (first load, navigation, reconnect). */
  async startView(
    connection: Connection,
    url: URL,
    method: 'GET' | 'POST',
    post: Record<string, string | string[]>,
  ): Promise<void> {
    // Navigating stops the old view first (SPEC §2.6); a queued start of it leaves the queue.
    this.leave(connection);
    let match: ReturnType<App['router']['resolve']>;
    try {
      match = this.app.router.resolve(url.pathname);
    } catch {
      match = null;
    }
    if (match && (!match.route.interactive || match.route.httpPassThrough)) {
      connection.send(JSON.stringify([MESSAGE.HTTP_REDIRECT, null, url.href]));
      return;
    }
    const route = match?.route ?? null;
    const request = new Request({
      url,
      method,
      headers: connection.headers,
      route,
      matchInfo: match?.matchInfo ?? {},
      interactive: true,
      post: method === 'POST' ? post : {},
      user: connection.user,
      sessionKey: connection.sessionKey,
    });
    const viewClass: ViewClass = route ? (route.view as ViewClass) : this.app.errorViewFor(404);
    let runtime: ViewRuntime;
    try {
      runtime = this.#createRuntime(viewClass, request, route, connection);
    } catch (error) {
      // A view whose constructor throws crashed like any other user code: its 500 view.
      runtime = this.#createRuntime(View, request, route, connection, viewClass.name);
      this.#shown.set(connection, runtime);
      runtime.attach(connection);
      this.registry.add(runtime);
      this.#announce(runtime, connection, url);
      await runtime.fail(error);
      return;
    }
    if (!route) runtime.view.error = new NotFoundError();
    this.#shown.set(connection, runtime);
    runtime.attach(connection);

    // Middlewares run on a worker slot, which is released before queueing for a runtime slot.
    let shortCircuit: unknown;
    try {
      // A queued start leaves the queue when its tab leaves, or after WORKER_QUEUE_TIMEOUT_MS.
      const release =
        this.pools.worker.tryAcquire() ??
        (await this.pools.worker.acquire({
          signal: runtime.signal,
          maxWaitMs: this.settings.WORKER_QUEUE_TIMEOUT_MS,
        }));
      try {
        // Without handleRequest middlewares the slot is still taken (and counted) as ever.
        if (this.#middlewares.has('handleRequest')) {
          shortCircuit = await this.#middlewares.run('handleRequest', {
            request,
            view: viewClass,
            app: this.app,
            connection,
          });
        }
      } finally {
        release();
      }
    } catch (error) {
      if (runtime.stopped) return; // the tab left while the start was queued
      this.registry.add(runtime);
      this.#announce(runtime, connection, url);
      await runtime.fail(error);
      return;
    }
    if (runtime.stopped || this.#shown.get(connection) !== runtime) return;
    // Middlewares may have set the user: the user key is decided now.
    const userKey = connection.userKeyFor(request.user);
    (runtime as { userKey: string }).userKey = userKey;

    if (shortCircuit !== undefined) {
      this.registry.add(runtime);
      this.#announce(runtime, connection, url);
      if (
        shortCircuit instanceof RedirectResponse ||
        shortCircuit instanceof HttpRedirectResponse
      ) {
        runtime.redirect(shortCircuit);
      } else {
        runtime.show(shortCircuit);
        runtime.stop(undefined);
      }
      return;
    }

    if (route) {
      const daemon = this.registry.findDaemonFor(userKey, route, request.matchInfo);
      if (daemon) {
        // Re-attach: the tab gets the daemon's current tree and from now on its batches.
        runtime.discard();
        this.#shown.set(connection, daemon);
        this.registry.clearIdleTimer(daemon);
        daemon.attach(connection);
        this.#announce(daemon, connection, url);
        daemon.sendTreeTo(connection);
        return;
      }
    }

    this.registry.add(runtime);
    this.#announce(runtime, connection, url);
    await runtime.run();
  }

  #announce(runtime: ViewRuntime, connection: Connection, url: URL): void {
    connection.send(JSON.stringify([MESSAGE.VIEW_STARTED, runtime.id, url.href]));
  }

  /** `name` stands in for the class name in logs (a placeholder for a view that failed to construct). */
  #createRuntime(
    viewClass: ViewClass,
    request: Request,
    route: Route | null,
    connection: Connection,
    name?: string,
  ): ViewRuntime {
    const view: View = new viewClass();
    view.request = request;
    view.app = this.app;
    const runtime = new ViewRuntime({
      view,
      request,
      route,
      userKey: connection.userKeyFor(request.user),
      host: this,
      name,
    });
    return runtime;
  }

  /** The connection's tab leaves its view (navigation, close, `stop` message). */
  leave(connection: Connection, reason?: StopReason): void {
    const runtime = this.#shown.get(connection);
    if (!runtime) return;
    // Made only now: every start calls leave() first, and most tabs showed nothing before.
    reason ??= new UserAbort();
    this.#shown.delete(connection);
    runtime.detach(connection);
    if (runtime.isDaemon && !runtime.removed && !(reason instanceof ServerStop)) {
      if (runtime.connections.length === 0) {
        this.registry.startIdleTimer(runtime, this.settings.DAEMON_VIEW_IDLE_TIMEOUT_MS, () =>
          runtime.remove(new UserAbort('The daemon view was idle too long.')),
        );
      }
      return;
    }
    if (runtime.connections.length === 0) runtime.remove(reason);
  }

  /** The runtime a connection shows now. */
  shownBy(connection: Connection): ViewRuntime | undefined {
    return this.#shown.get(connection);
  }

  // --- input events --------------------------------------------------------------------------

  /** Queues a validated input event in its view's lane; false when the lane is full (flood). */
  queueInputEvent(connection: Connection, message: InputMessage): boolean {
    const runtime = this.#shown.get(connection);
    if (!runtime || runtime.id !== message.viewId) {
      // Events are accepted only for the view attached to the sending connection (SPEC §8).
      this.logger.debug(
        `input event for view ${message.viewId} dropped: not this connection's view`,
      );
      connection.sendDone(message.viewId, message.eventId, 0, 'unknown-view');
      return true;
    }
    return runtime.enqueue(() => runInputEvent(runtime, message, connection));
  }

  /** Sends the full tree again after a sequence gap or a failed patch (SPEC §7). */
  resync(connection: Connection, viewId: string): void {
    const runtime = this.#shown.get(connection);
    if (runtime && runtime.id === viewId) runtime.sendTreeTo(connection);
  }

  /** Stops every view (server shutdown). */
  stopAll(reason: StopReason): void {
    for (const connection of [...this.#shown.keys()]) this.leave(connection, reason);
    for (const runtime of [...this.registry.all()]) runtime.remove(reason);
  }

  // --- metrics and listing ------------------------------------------------------------------

  metrics(): ViewMetrics {
    let running = 0;
    let queued = 0;
    let idle = 0;
    for (const runtime of this.registry.all()) {
      if (runtime.stopped) continue;
      if (runtime.state === 'running') running++;
      else if (runtime.state === 'queued' || runtime.state === 'created') queued++;
      else if (runtime.state === 'finished') idle++;
    }
    return { running, queued, idle, daemon: this.registry.daemonCount, zombie: this.#zombies.size };
  }

  /** Live views, for middlewares that enforce per-user limits (`app.views()`). */
  list(filter: { user?: unknown; route?: string }): View[] {
    const userKey =
      filter.user === undefined
        ? undefined
        : typeof filter.user === 'string'
          ? filter.user
          : userKeyOf(
              filter.user,
              (filter.user as { sessionKey?: string } | null)?.sessionKey ?? '',
            );
    const views: View[] = [];
    for (const runtime of this.registry.all()) {
      if (runtime.removed || (runtime.stopped && runtime.stopReason !== undefined)) continue;
      if (userKey !== undefined && runtime.userKey !== userKey) continue;
      if (filter.route !== undefined && runtime.route?.name !== filter.route) continue;
      views.push(runtime.view);
    }
    return views;
  }

  /** A stopped view whose handleRequest has not settled 10 s later is a zombie (SPEC §3.3). */
  #watchZombie(runtime: ViewRuntime): void {
    const timer = setTimeout(() => {
      this.#zombieWatches.delete(runtime);
      if (!runtime.unsettled) return;
      this.#zombies.add(runtime);
      this.logger.warning('LONA_WARN_VIEW_ZOMBIE', {
        view: runtime.name,
        seconds: ZOMBIE_AFTER_MS / 1000,
      });
    }, ZOMBIE_AFTER_MS);
    timer.unref();
    this.#zombieWatches.set(runtime, timer);
  }

  onViewSettled(runtime: ViewRuntime): void {
    this.#zombies.delete(runtime);
    clearTimeout(this.#zombieWatches.get(runtime));
    this.#zombieWatches.delete(runtime);
  }

  // --- RuntimeHost ---------------------------------------------------------------------------

  async renderErrorView(status: ErrorStatus, error: unknown, request: Request): Promise<unknown> {
    const view = new (this.app.errorViewFor(status))();
    view.request = request;
    view.app = this.app;
    view.error = error;
    return view.handleRequest(request);
  }

  // Every view stops and is removed: the notifications are skipped (no promise, no data)
  // when no middleware listens.
  onViewStop(runtime: ViewRuntime, reason: StopReason): void {
    if (runtime.unsettled) this.#watchZombie(runtime);
    if (!this.#middlewares.has('onViewStop')) return;
    void this.#middlewares.notify('onViewStop', { view: runtime.view, reason, app: this.app });
  }

  onViewRemoved(runtime: ViewRuntime): void {
    this.registry.delete(runtime);
    if (!this.#middlewares.has('onViewCleanup')) return;
    void this.#middlewares.notify('onViewCleanup', { view: runtime.view, app: this.app });
  }

  /** Called when a view sets `isDaemon` (SPEC §3.3): one daemon per key, a bounded number per user. */
  setDaemon(runtime: ViewRuntime, value: boolean): void {
    if (!value) {
      this.registry.unregisterDaemon(runtime);
      return;
    }
    if (!runtime.route) return; // error views have no route to re-attach by
    const key = this.registry.daemonKey(runtime.userKey, runtime.route, runtime.request.matchInfo);
    this.registry.registerDaemon(runtime, key, this.settings.MAX_DAEMON_VIEWS_PER_USER);
  }
}
