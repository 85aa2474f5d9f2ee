/**
 * EventDeclarations: which input events an element asks the client to send, each with a
 * debounce in ms (0 = at once). Travels as the `events` map of a serialized element and,
 * when changed on a shown node, as one SET_EVENTS patch carrying the whole map. Handling
 * the events is the view runtime's job; this only declares them.
 */
import { LonaError } from '../errors.js';
import type { EventMap } from '../protocol/nodes.js';
import { CUSTOM_EVENT_NAME_RE, EVENT_NAME } from '../protocol/events.js';
import { baseInternals, type BaseNode } from './base-node.js';
import { describeValue } from './escape.js';

/** A name, or `[name, { debounceMs }]` (e.g. `['change', { debounceMs: 100 }]`). */
export type EventDeclaration = string | readonly [name: string, options: EventOptions];
export interface EventOptions {
  /** Wait this long after the last input before sending (ms, ≥ 0). @default 0 */
  debounceMs?: number;
}

/** html/-internal access to the backing map. */
export let eventEntries: (events: EventDeclarations) => ReadonlyMap<string, number>;

const { shownBy } = baseInternals;
const BUILTIN = new Set<string>(Object.values(EVENT_NAME));

export function checkEventName(name: unknown): string {
  if (typeof name !== 'string' || (!BUILTIN.has(name) && !CUSTOM_EVENT_NAME_RE.test(name))) {
    throw new LonaError('LONA_ERR_HTML_BAD_EVENT_NAME', { name: String(name) });
  }
  return name;
}

export function checkDebounce(value: unknown, node: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new LonaError('LONA_ERR_HTML_BAD_PROP', {
      name: 'debounceMs',
      node,
      expected: 'a number of milliseconds, 0 or more',
      got: describeValue(value),
    });
  }
  return value;
}

export class EventDeclarations implements Iterable<[string, number]> {
  readonly #owner: BaseNode & { readonly tagName: string };
  readonly #map = new Map<string, number>();

  constructor(owner: BaseNode & { readonly tagName: string }) {
    this.#owner = owner;
  }

  get size(): number {
    return this.#map.size;
  }

  has(name: string): boolean {
    return this.#map.has(name);
  }

  /** The debounce of a declared event, or undefined when it is not declared. */
  debounceMs(name: string): number | undefined {
    return this.#map.get(name);
  }

  /** Declares an event, or changes its debounce. */
  add(name: string, options: EventOptions = {}): this {
    checkEventName(name);
    const debounce = checkDebounce(options.debounceMs ?? 0, `<${this.#owner.tagName}>`);
    if (this.#map.get(name) === debounce) return this;
    this.#change(() => this.#map.set(name, debounce));
    return this;
  }

  remove(name: string): boolean {
    if (!this.#map.has(name)) return false;
    this.#change(() => this.#map.delete(name));
    return true;
  }

  clear(): void {
    if (this.#map.size > 0) this.#change(() => this.#map.clear());
  }

  /** Replaces every declaration. */
  reset(declarations: Iterable<EventDeclaration>): void {
    const next = new Map<string, number>();
    for (const declaration of declarations) {
      const [name, options] = typeof declaration === 'string' ? [declaration, {}] : declaration;
      checkEventName(name);
      next.set(name, checkDebounce(options.debounceMs ?? 0, `<${this.#owner.tagName}>`));
    }
    const same =
      next.size === this.#map.size && [...next].every(([n, d]) => this.#map.get(n) === d);
    if (same) return;
    this.#change(() => {
      this.#map.clear();
      for (const [name, debounce] of next) this.#map.set(name, debounce);
    });
  }

  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.#map.entries();
  }

  toJSON(): EventMap {
    return Object.fromEntries(this.#map);
  }

  #change(mutate: () => void): void {
    const sink = shownBy(this.#owner);
    const before = sink === null ? '' : JSON.stringify(this.toJSON());
    mutate();
    sink?.recordEvents(this.#owner, before);
  }

  static {
    eventEntries = (events) => events.#map;
  }
}
