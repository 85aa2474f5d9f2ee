/**
 * The middleware chain (SPEC §3.7). Request hooks (`handle*`) run in registration order
 * before the view's own hook; a `Response`, a `ForbiddenError` or a `NotFoundError`
 * short-circuits, anything else passes on. Notification hooks (`on*`) run for every
 * middleware; a throw is logged and the rest still run. Hooks may be async. Which hook
 * runs when is the server's business; this file only runs them.
 */
import { LonaError } from '../errors.js';
import type { Logger } from '../internal/logger.js';
import { Response } from '../view/responses.js';

export const REQUEST_HOOKS = [
  'handleHttpRequest',
  'handleConnection',
  'handleWebsocketMessage',
  'handleRequest',
] as const;
export const NOTIFICATION_HOOKS = [
  'onStartup',
  'onShutdown',
  'onViewStop',
  'onViewCleanup',
] as const;

export type RequestHook = (typeof REQUEST_HOOKS)[number];
export type NotificationHook = (typeof NOTIFICATION_HOOKS)[number];
type Hook = RequestHook | NotificationHook;
type Instance = Partial<Record<Hook, (data: unknown) => unknown>>;

const ALL_HOOKS: readonly string[] = [...REQUEST_HOOKS, ...NOTIFICATION_HOOKS];

export class MiddlewareChain {
  readonly #logger: Logger;
  readonly #byHook = new Map<Hook, Array<{ name: string; instance: Instance }>>();

  constructor(middlewares: readonly unknown[], logger: Logger) {
    this.#logger = logger;
    for (const middleware of middlewares) {
      const instance = instantiate(middleware);
      const name = nameOf(middleware);
      for (const hook of ALL_HOOKS as Hook[]) {
        if (typeof instance[hook] !== 'function') continue;
        let list = this.#byHook.get(hook);
        if (!list) this.#byHook.set(hook, (list = []));
        list.push({ name, instance });
      }
    }
  }

  has(hook: Hook): boolean {
    return this.#byHook.has(hook);
  }

  /**
   * Runs a request hook through the chain. Resolves with the first `Response` a
   * middleware returned (the caller answers with it) or undefined; ForbiddenError,
   * NotFoundError and other errors propagate to the caller.
   */
  async run(hook: RequestHook, data: object): Promise<Response | undefined> {
    const list = this.#byHook.get(hook);
    if (!list) return undefined;
    for (const { instance } of list) {
      const result = await instance[hook]!.call(instance, data);
      if (result instanceof Response) return result;
    }
    return undefined;
  }

  /** Runs a notification hook on every middleware; throws are logged, never propagated. */
  async notify(hook: NotificationHook, data: object): Promise<void> {
    const list = this.#byHook.get(hook);
    if (!list) return;
    for (const { name, instance } of list) {
      try {
        await instance[hook]!.call(instance, data);
      } catch (error) {
        this.#logger.warning('LONA_WARN_HOOK_THREW', {
          hook: `${name}.${hook}`,
          reason: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
    }
  }
}

function instantiate(middleware: unknown): Instance {
  const isClass =
    typeof middleware === 'function' &&
    /^class[\s{]/.test(Function.prototype.toString.call(middleware));
  const instance = (
    isClass ? new (middleware as new () => object)() : middleware
  ) as Instance | null;
  if (instance === null || (typeof instance !== 'object' && typeof instance !== 'function')) {
    throw new LonaError('LONA_ERR_MIDDLEWARE_INVALID', {
      name: String(middleware),
      hooks: ALL_HOOKS.join(', '),
    });
  }
  const hasHook = ALL_HOOKS.some((hook) => typeof instance[hook as Hook] === 'function');
  if (!hasHook) {
    throw new LonaError('LONA_ERR_MIDDLEWARE_INVALID', {
      name: nameOf(middleware),
      hooks: ALL_HOOKS.join(', '),
    });
  }
  return instance;
}

function nameOf(middleware: unknown): string {
  if (typeof middleware === 'function') return middleware.name || 'middleware';
  return (middleware as object | null)?.constructor?.name ?? 'middleware';
}
