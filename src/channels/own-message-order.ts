/**
 * Keeps one process's own messages in send order for its own subscriptions, when they take
 * two routes: a shared message goes out to Redis and reaches this process again only when
 * Redis sends it back, while a `local` message never leaves and is ready at once (SPEC
 * §3.8: one sender's messages arrive in send order, local ones included).
 *
 * It holds a local message until every shared message sent before it has come back or is
 * known to be lost, and then releases it. It does not talk to Redis or deliver anything:
 * `RedisBroker` reports what was sent, what came back and what was lost, and `release`
 * hands the messages on, in order.
 *
 * A shared message that has not come back when a later one does never will: Redis answers
 * one connection's commands in order and sends a channel's messages to each subscriber in
 * the order it ran them. It is dropped (delivery is at most once), and the local messages
 * held behind it are released.
 */
import type { EncodedMessage } from './message.js';

interface Entry {
  readonly message: EncodedMessage;
  /** A local message, ready to release; otherwise a shared one waiting to come back. */
  readonly local: boolean;
}

export class OwnMessageOrder {
  readonly #release: (message: EncodedMessage) => void;
  /** Messages held or awaited, by sequence number; a Map keeps them in send order. */
  readonly #entries = new Map<number, Entry>();
  #seq = 0;

  /** `release` receives each own message once, in send order, when its turn comes. */
  constructor(release: (message: EncodedMessage) => void) {
    this.#release = release;
  }

  /** Shared messages awaited and local ones held, together. */
  get pending(): number {
    return this.#entries.size;
  }

  /** Is the shared message `seq` still awaited? */
  isAwaited(seq: number): boolean {
    return this.#entries.get(seq)?.local === false;
  }

  /** Records a shared message about to go to Redis; returns the number to send with it. */
  sent(message: EncodedMessage): number {
    const seq = ++this.#seq;
    this.#entries.set(seq, { message, local: false });
    return seq;
  }

  /** A local message: released now if nothing sent before it is awaited, else held. */
  local(message: EncodedMessage): void {
    if (this.#entries.size === 0) {
      this.#release(message);
      return;
    }
    this.#entries.set(++this.#seq, { message, local: true });
  }

  /**
   * The shared message `seq` came back from Redis: releases the local messages held before
   * it, then it, then the local messages after it up to the next awaited one. Shared
   * messages before it are lost. Returns false, releasing nothing, if `seq` is not awaited
   * (it was given up as lost already).
   */
  returned(seq: number): boolean {
    const entry = this.#entries.get(seq);
    if (entry === undefined || entry.local) return false;
    for (const [earlier, held] of this.#entries) {
      if (earlier === seq) break;
      this.#entries.delete(earlier);
      if (held.local) this.#release(held.message);
    }
    this.#entries.delete(seq);
    this.#release(entry.message);
    this.#releaseReady();
    return true;
  }

  /** The shared message `seq` will not come back (Redis refused it or the link broke). */
  lost(seq: number): void {
    if (this.#entries.delete(seq)) this.#releaseReady();
  }

  /**
   * No awaited message will come back (the connection they would come back on is gone):
   * releases every held local message and forgets the rest.
   */
  loseAll(): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) if (entry.local) this.#release(entry.message);
  }

  /** Forgets everything without releasing anything (the broker is closing). */
  clear(): void {
    this.#entries.clear();
  }

  /** Releases the local messages at the front, up to the first awaited shared one. */
  #releaseReady(): void {
    for (const [seq, entry] of this.#entries) {
      if (!entry.local) return;
      this.#entries.delete(seq);
      this.#release(entry.message);
    }
  }
}
