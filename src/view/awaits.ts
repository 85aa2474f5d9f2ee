/**
 * Pending awaits of one view (`awaitClick`, `awaitInputEvent`, ...): armed when called,
 * several at once, matched oldest first (kind-specific awaits before general ones,
 * SPEC §3.4), rejected on timeout, abort or view stop. One event resolves at most one
 * await. Dispatch order is the runtime's; this only keeps the list.
 */
import { TimeoutError } from '../errors.js';
import type { Node } from '../html/node.js';
import type { InputEvent } from './input-event.js';

export interface AwaitOptions {
  /** Abort the await (rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Reject with TimeoutError after this many ms. */
  timeoutMs?: number;
}

interface PendingAwait {
  /** null: any event name (awaitInputEvent). */
  name: string | null;
  /** null: any node. */
  nodes: ReadonlySet<Node> | null;
  resolve: (event: InputEvent) => void;
  reject: (reason: unknown) => void;
  cleanup: () => void;
}

export class AwaitRegistry {
  #pending: PendingAwait[] = [];

  get size(): number {
    return this.#pending.length;
  }

  /** Arms an await now; the returned promise settles once. */
  arm(name: string | null, nodes: Node[] | null, options: AwaitOptions = {}): Promise<InputEvent> {
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<InputEvent>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        this.#remove(entry);
        reject(signal!.reason);
      };
      const entry: PendingAwait = {
        name,
        nodes: nodes && nodes.length > 0 ? new Set(nodes) : null,
        resolve,
        reject,
        cleanup: () => {
          if (timer) clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#remove(entry);
          reject(new TimeoutError(`No matching input event within ${timeoutMs} ms.`));
        }, timeoutMs);
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.push(entry);
    });
  }

  /** Whether a pending await names this event (for the "handler consumed it" warning). */
  wants(event: InputEvent): boolean {
    return this.#pending.some((entry) => matches(entry, event));
  }

  /**
   * Resolves the oldest await that matches: kind-specific ones when `specific`, else the
   * general `awaitInputEvent` ones. Returns whether one was resolved.
   */
  resolveOldest(event: InputEvent, specific: boolean): boolean {
    const entry = this.#pending.find(
      (candidate) => (candidate.name !== null) === specific && matches(candidate, event),
    );
    if (!entry) return false;
    this.#remove(entry);
    entry.resolve(event);
    return true;
  }

  /** Rejects every pending await (the view stopped). */
  rejectAll(reason: unknown): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const entry of pending) {
      entry.cleanup();
      entry.reject(reason);
    }
  }

  #remove(entry: PendingAwait): void {
    entry.cleanup();
    const index = this.#pending.indexOf(entry);
    if (index >= 0) this.#pending.splice(index, 1);
  }
}

function matches(entry: PendingAwait, event: InputEvent): boolean {
  if (entry.name !== null && entry.name !== event.name) return false;
  if (entry.nodes === null) return true;
  // The issuing node or one of its ancestors: awaitClick(list) also catches clicks inside it.
  for (let node: Node | null = event.node; node; node = node.parentElement) {
    if (entry.nodes.has(node)) return true;
  }
  return false;
}
