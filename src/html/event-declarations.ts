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

// Assigned in the class's static block; a function, not a private method, because a private
// method costs every instance a hidden slot.
let setPairs: (events: EventDeclarations, next: readonly (string | number)[]) => void;

/** html/-internal: the declarations as a new object (name → debounce ms), or null when none. */
export let eventMap: (events: EventDeclarations) => EventMap | null;

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
  // Name, debounce, name, debounce, ...: an element declares one or two events, and a small
  // array costs a third of a Map. Replaced (never grown in place) so it stays exactly sized.
  #pairs: readonly (string | number)[] = NONE;

  constructor(owner: BaseNode & { readonly tagName: string }) {
    this.#owner = owner;
  }

  get size(): number {
    return this.#pairs.length / 2;
  }

  has(name: string): boolean {
    return indexOf(this.#pairs, name) >= 0;
  }

  /** The debounce of a declared event, or undefined when it is not declared. */
  debounceMs(name: string): number | undefined {
    const i = indexOf(this.#pairs, name);
    return i < 0 ? undefined : (this.#pairs[i + 1] as number);
  }

  /** Declares an event, or changes its debounce. */
  add(name: string, options: EventOptions = {}): this {
    checkEventName(name);
    const debounce = checkDebounce(options.debounceMs ?? 0, `<${this.#owner.tagName}>`);
    const pairs = this.#pairs;
    const i = indexOf(pairs, name);
    if (i >= 0 && pairs[i + 1] === debounce) return this;
    const next = pairs.slice();
    if (i < 0) next.push(name, debounce);
    else next[i + 1] = debounce;
    setPairs(this, next.slice()); // the copy is exactly sized; push leaves spare capacity
    return this;
  }

  remove(name: string): boolean {
    const i = indexOf(this.#pairs, name);
    if (i < 0) return false;
    setPairs(this, this.#pairs.slice(0, i).concat(this.#pairs.slice(i + 2)));
    return true;
  }

  clear(): void {
    if (this.#pairs.length > 0) setPairs(this, NONE);
  }

  /** Replaces every declaration. */
  reset(declarations: Iterable<EventDeclaration>): void {
    const next = new Map<string, number>();
    for (const declaration of declarations) {
      const [name, options] = typeof declaration === 'string' ? [declaration, {}] : declaration;
      checkEventName(name);
      next.set(name, checkDebounce(options.debounceMs ?? 0, `<${this.#owner.tagName}>`));
    }
    const same = next.size === this.size && [...next].every(([n, d]) => this.debounceMs(n) === d);
    if (same) return;
    setPairs(this, NONE.concat(...next)); // concat of the [name, debounce] entries: exact size
  }

  *[Symbol.iterator](): IterableIterator<[string, number]> {
    const pairs = this.#pairs;
    for (let i = 0; i < pairs.length; i += 2) yield [pairs[i] as string, pairs[i + 1] as number];
  }

  toJSON(): EventMap {
    const map: EventMap = {};
    const pairs = this.#pairs;
    for (let i = 0; i < pairs.length; i += 2) map[pairs[i] as string] = pairs[i + 1] as number;
    return map;
  }

  static {
    setPairs = (events, next) => {
      const sink = shownBy(events.#owner);
      const before = sink === null ? '' : JSON.stringify(events.toJSON());
      events.#pairs = next;
      sink?.recordEvents(events.#owner, before);
    };
    eventMap = (events) => (events.#pairs.length === 0 ? null : events.toJSON());
  }
}

const NONE: readonly (string | number)[] = Object.freeze([]);

function indexOf(pairs: readonly (string | number)[], name: string): number {
  for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === name) return i;
  return -1;
}
