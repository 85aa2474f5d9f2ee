/**
 * All live view runtimes of one process: by id, by user, and daemon views by their key
 * (user key, route, matchInfo; SPEC §3.3), plus the idle timers that stop daemon views
 * nobody has looked at for DAEMON_VIEW_IDLE_TIMEOUT_MS. It decides nothing about
 * connections; server/view-starter.ts asks it.
 */
import { LonaError } from '../errors.js';
import type { Route } from '../routing/route.js';
import type { ViewRuntime } from './view-runtime.js';

export class RuntimeRegistry {
  readonly #byId = new Map<string, ViewRuntime>();
  readonly #daemons = new Map<string, ViewRuntime>();
  readonly #daemonKeys = new Map<ViewRuntime, string>();
  readonly #idleTimers = new Map<ViewRuntime, NodeJS.Timeout>();
  readonly #routeIds = new Map<Route, number>();

  get size(): number {
    return this.#byId.size;
  }

  all(): IterableIterator<ViewRuntime> {
    return this.#byId.values();
  }

  get(id: string): ViewRuntime | undefined {
    return this.#byId.get(id);
  }

  add(runtime: ViewRuntime): void {
    this.#byId.set(runtime.id, runtime);
  }

  delete(runtime: ViewRuntime): void {
    this.#byId.delete(runtime.id);
    this.#clearIdle(runtime);
    const key = this.#daemonKeys.get(runtime);
    if (key !== undefined) {
      this.#daemonKeys.delete(runtime);
      if (this.#daemons.get(key) === runtime) this.#daemons.delete(key);
    }
  }

  daemonKey(userKey: string, route: Route, matchInfo: Record<string, string>): string {
    let routeId = this.#routeIds.get(route);
    if (routeId === undefined) this.#routeIds.set(route, (routeId = this.#routeIds.size));
    const params = Object.keys(matchInfo)
      .sort()
      .map((name) => [name, matchInfo[name]]);
    return JSON.stringify([userKey, routeId, params]);
  }

  /**
   * The reconnectable daemon view for this user, route and matchInfo, if one is alive.
   * Every view start asks, so the key is built only when some daemon exists.
   */
  findDaemonFor(
    userKey: string,
    route: Route,
    matchInfo: Record<string, string>,
  ): ViewRuntime | undefined {
    if (this.#daemons.size === 0) return undefined;
    return this.findDaemon(this.daemonKey(userKey, route, matchInfo));
  }

  /** The reconnectable daemon view for this key, if one is alive. */
  findDaemon(key: string): ViewRuntime | undefined {
    const runtime = this.#daemons.get(key);
    return runtime && !runtime.removed ? runtime : undefined;
  }

  /** Makes a runtime the daemon for its key; refuses a taken key or too many per user. */
  registerDaemon(runtime: ViewRuntime, key: string, maxPerUser: number): void {
    const existing = this.#daemons.get(key);
    if (existing && existing !== runtime && !existing.removed) {
      throw new LonaError('LONA_ERR_VIEW_DAEMON_KEY_TAKEN');
    }
    if (!existing) {
      let count = 0;
      for (const other of this.#daemonKeys.keys()) if (other.userKey === runtime.userKey) count++;
      if (count >= maxPerUser)
        throw new LonaError('LONA_ERR_VIEW_TOO_MANY_DAEMONS', { limit: maxPerUser });
    }
    this.#daemons.set(key, runtime);
    this.#daemonKeys.set(runtime, key);
  }

  unregisterDaemon(runtime: ViewRuntime): void {
    const key = this.#daemonKeys.get(runtime);
    if (key === undefined) return;
    this.#daemonKeys.delete(runtime);
    if (this.#daemons.get(key) === runtime) this.#daemons.delete(key);
  }

  get daemonCount(): number {
    return this.#daemonKeys.size;
  }

  /** A daemon lost its last tab: stop it after `ms` unless a tab re-attaches. */
  startIdleTimer(runtime: ViewRuntime, ms: number, onIdle: () => void): void {
    this.#clearIdle(runtime);
    const timer = setTimeout(() => {
      this.#idleTimers.delete(runtime);
      onIdle();
    }, ms);
    timer.unref();
    this.#idleTimers.set(runtime, timer);
  }

  clearIdleTimer(runtime: ViewRuntime): void {
    this.#clearIdle(runtime);
  }

  #clearIdle(runtime: ViewRuntime): void {
    const timer = this.#idleTimers.get(runtime);
    if (timer) clearTimeout(timer);
    this.#idleTimers.delete(runtime);
  }
}
