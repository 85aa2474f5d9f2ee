/**
 * Finds the subscriptions a message topic reaches, for any broker that delivers to local
 * subscribers (the memory broker, and the Redis broker on the receiving side).
 *
 * It stores values under the topic they subscribed to and answers "who matches this
 * topic?" with the two-way rule of `topic.ts`. It does not deliver, copy or order anything;
 * brokers do.
 */
import { hasWildcard, topicsMatch, validateTopic } from './topic.js';

export class TopicIndex<T> {
  /**
   * Subscriptions without `*`, by topic. The common case (a literal message topic) looks
   * these up with one `Map.get` instead of comparing against every subscription.
   */
  readonly #literal = new Map<string, Set<T>>();
  /** Subscriptions with `*`, grouped by pattern so each distinct pattern is tested once. */
  readonly #wildcard = new Map<string, Set<T>>();
  #size = 0;

  /** How many values are stored. */
  get size(): number {
    return this.#size;
  }

  /** Stores `value` under `topic`. Throws `LONA_ERR_CHANNEL_BAD_TOPIC` for an invalid topic. */
  add(topic: string, value: T): void {
    validateTopic(topic);
    const map = hasWildcard(topic) ? this.#wildcard : this.#literal;
    let set = map.get(topic);
    if (!set) {
      set = new Set();
      map.set(topic, set);
    }
    if (set.has(value)) return;
    set.add(value);
    this.#size++;
  }

  /** Removes `value` from `topic`; does nothing if it is not there. */
  delete(topic: string, value: T): void {
    const map = this.#wildcard.has(topic) ? this.#wildcard : this.#literal;
    const set = map.get(topic);
    if (!set?.delete(value)) return;
    this.#size--;
    if (set.size === 0) map.delete(topic);
  }

  /** Every stored value, as a new array. */
  values(): T[] {
    const all: T[] = [];
    for (const set of this.#literal.values()) all.push(...set);
    for (const set of this.#wildcard.values()) all.push(...set);
    return all;
  }

  /** Removes everything. */
  clear(): void {
    this.#literal.clear();
    this.#wildcard.clear();
    this.#size = 0;
  }

  /**
   * The values whose topic matches `topic`, as a new array: callers may change the index
   * while they go through it. A value added under two matching topics is listed twice, so
   * brokers add each subscription once. Throws `LONA_ERR_CHANNEL_BAD_TOPIC` for an invalid
   * topic.
   */
  match(topic: string): T[] {
    const found: T[] = [];
    if (hasWildcard(topic)) {
      // A wildcard message topic may match literal subscriptions too, so compare it with
      // every stored topic.
      for (const [subscribed, set] of this.#literal) {
        if (topicsMatch(subscribed, topic)) found.push(...set);
      }
    } else {
      const set = this.#literal.get(topic);
      if (set) found.push(...set);
    }
    for (const [pattern, set] of this.#wildcard) {
      if (topicsMatch(pattern, topic)) found.push(...set);
    }
    return found;
  }
}
