/**
 * A first-in, first-out queue with O(1) `push` and `shift`, for the broker's accepted
 * messages and each subscriber's mailbox. `Array.prototype.shift` copies the whole array,
 * which turns a backlog of n messages into n² work; this keeps a read position instead and
 * compacts the array only once half of it is spent. It knows nothing about messages.
 */

/** Consumed slots tolerated at the front before the array is compacted. */
const COMPACT_AFTER = 1024;

export class Fifo<T> {
  /** Items from `#head` on; slots before it are spent and cleared. */
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  /** Removes and returns the oldest item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const item = this.#items[this.#head];
    // Cleared so the item can be collected before the array is compacted.
    this.#items[this.#head++] = undefined;
    if (this.#head === this.#items.length) {
      this.clear();
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  clear(): void {
    this.#items = [];
    this.#head = 0;
  }
}
