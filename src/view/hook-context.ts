/**
 * Which kind of view code is running right now: `handleRequest` (where awaits are valid)
 * or a lane job (an input event or channel handler, where an await would wait on the
 * view's own lane and never resolve, SPEC §3.3). Kept in an AsyncLocalStorage so the
 * answer follows the code across its own awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { ThreadPool } from '../resources/thread-pool.js';

export type HookKind = 'request' | 'handler';

export interface HookContext {
  kind: HookKind;
  /** The runtime whose code this is (a handler of view A may await inside view B's request). */
  runtime: object;
  /** The view's signal: `runInThread` and other helpers cancel with the view. */
  signal: AbortSignal;
  /** The cpu pool of the view's app, for `runInThread`. */
  threads: ThreadPool;
}

export const hookContext = new AsyncLocalStorage<HookContext>();

/** Marks a promise handed to user code as handled: a rejection left unawaited is never fatal. */
export function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(noop);
  return promise;
}

function noop(): void {}
