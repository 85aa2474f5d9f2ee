/**
 * `View`: the base class users extend (SPEC §3.3). Hooks are overridden; the methods
 * (`show`, `sleep`, `awaitClick`, ...) delegate to the view's runtime
 * (view/view-runtime.ts), which the framework links before `handleRequest` runs. A view
 * instance serves exactly one HTTP request or one view start.
 */
import type { App } from '../app.js';
import type { ChannelMessage } from '../channels/broker.js';
import { LonaError } from '../errors.js';
import type { Node } from '../html/node.js';
import type { AwaitOptions } from './awaits.js';
import { handled } from './hook-context.js';
import type { InputEvent } from './input-event.js';
import type { Request } from './request.js';
import type { HttpRedirectResponse, RedirectResponse, ViewResult } from './responses.js';
import type { ViewRuntime, StopReason } from './view-runtime.js';

export type Awaitable<T> = T | Promise<T>;

/** Where the framework keeps a view's runtime; not part of the public API. */
export const RUNTIME = Symbol('lona-ts.runtime');

export interface AwaitEventOptions extends AwaitOptions {
  /** Shown (as by `show(html)`) right after the await is armed. */
  html?: unknown;
}

/** What `handleInputEventRoot` may return: the event to continue, null when handled, or a redirect. */
export type InputEventRootResult = InputEvent | null | RedirectResponse | HttpRedirectResponse;

type Nodes = Node | Node[] | null | undefined;

export class View {
  /**
   * HTTP methods a non-interactive view answers; others get 405 with `Allow`. Interactive
   * routes always answer GET and HEAD with the frontend shell.
   */
  static methods: readonly string[] = ['GET', 'HEAD', 'POST'];

  /** Static files (style sheets, scripts, classes declaring their own) this view needs. */
  static STATIC_FILES?: readonly unknown[];

  /** The request that started this view. */
  request!: Request;
  /** The app this view belongs to. */
  app!: App;
  /** In error views: the error that is being shown. */
  error: unknown;

  // --- hooks ---------------------------------------------------------------------------------

  /** The view's entry point; may be sync or async, and may run for days (interactive views). */
  handleRequest(_request: Request): Awaitable<ViewResult> {
    return undefined;
  }

  /** First for every input event: return the event to continue, null when handled, or a redirect. */
  handleInputEventRoot(event: InputEvent): Awaitable<InputEventRootResult> {
    return event;
  }

  /** Last, for events nothing else consumed. */
  handleInputEvent(_event: InputEvent): Awaitable<unknown> {
    return undefined;
  }

  /** Once, when the view stops: `undefined` (returned normally), `UserAbort`, `ServerStop` or the error. */
  onStop(_reason: StopReason): Awaitable<void> {}

  /** Once, when the view is removed, after `onStop`. */
  onCleanup(): Awaitable<void> {}

  // --- methods -------------------------------------------------------------------------------

  #runtime(method: string): ViewRuntime {
    const runtime = (this as unknown as Record<symbol, ViewRuntime | undefined>)[RUNTIME];
    if (!runtime) throw new LonaError('LONA_ERR_VIEW_NOT_INTERACTIVE', { method });
    return runtime;
  }

  /**
   * Shows `html` (a node, an HTML string, a template response): the whole tree the first
   * time, patches afterwards; `show()` alone flushes. Resolves once the frames are queued;
   * rejects with the stop reason after the view stopped.
   */
  show(html?: unknown, options: { title?: string } = {}): Promise<void> {
    try {
      this.#runtime('show').show(html, options);
      return Promise.resolve();
    } catch (error) {
      return handled(Promise.reject(error));
    }
  }

  setTitle(title: string): void {
    this.#runtime('setTitle').setTitle(title);
  }

  /** Resolves after `ms`; rejects with the stop reason if the view stops first. */
  sleep(ms: number): Promise<void> {
    return this.#runtime('sleep').sleep(ms);
  }

  /** Aborts with the stop reason (SPEC §3.3): pass it to your own fetches and timers. */
  get signal(): AbortSignal {
    return this.#runtime('signal').signal;
  }

  /** A daemon view outlives its tab; another tab of the same user re-attaches to it. */
  get isDaemon(): boolean {
    return this.#runtime('isDaemon').isDaemon;
  }

  set isDaemon(value: boolean) {
    this.#runtime('isDaemon').isDaemon = value;
  }

  awaitInputEvent(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitInputEvent', null, nodes, options);
  }

  awaitClick(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitClick', 'click', nodes, options);
  }

  awaitChange(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitChange', 'change', nodes, options);
  }

  awaitFocus(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitFocus', 'focus', nodes, options);
  }

  awaitBlur(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitBlur', 'blur', nodes, options);
  }

  awaitSubmit(nodes?: Nodes, options?: AwaitEventOptions): Promise<InputEvent> {
    return this.#await('awaitSubmit', 'submit', nodes, options);
  }

  #await(
    method: string,
    name: string | null,
    nodes: Nodes,
    options: AwaitEventOptions = {},
  ): Promise<InputEvent> {
    const list = nodes == null ? null : Array.isArray(nodes) ? nodes : [nodes];
    return this.#runtime(method).awaitEvent(method, name, list, options);
  }

  /**
   * Subscribes this view to a channel topic: the handler runs in the view's lane, patches
   * are flushed afterwards, and the subscription ends with the view.
   */
  subscribe(topic: string, handler: (message: ChannelMessage) => unknown): void {
    const runtime = this.#runtime('subscribe');
    this.app.subscribeView(runtime, topic, handler);
  }

  /** Sends a custom message to this view's tabs (`lona.on('message', fn)` in the browser). */
  sendMessage(data: unknown): void {
    this.#runtime('sendMessage').sendMessage(data);
  }
}

export type ViewClass = new () => View;

/** True for View and its subclasses (not for instances or plain functions). */
export function isViewClass(value: unknown): value is ViewClass {
  return typeof value === 'function' && (value === View || value.prototype instanceof View);
}
