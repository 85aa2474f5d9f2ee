/**
 * AttributeMap: an element's attributes other than id, class and style (those have
 * idList, classList and style). Names and values are checked on set (attribute-checks.ts)
 * and stored as the strings that travel on the wire; each real change is reported to the
 * patch sink. Rendering and serializing read the backing Map directly.
 */
import { baseInternals, type BaseNode } from './base-node.js';
import { attributeString, checkAttributeName, type AttributeValue } from './attribute-checks.js';

/** html/-internal access to the backing map. */
export let attributeEntries: (map: AttributeMap) => ReadonlyMap<string, string>;

const { shownBy } = baseInternals;

// Assigned in AttributeMap's static block: a function rather than a private method, which
// would cost every map a hidden slot.
let write: (map: AttributeMap, name: string, value: string) => void;

export class AttributeMap implements Iterable<[string, string]> {
  readonly #owner: BaseNode & { readonly tagName: string };
  readonly #map = new Map<string, string>();

  constructor(owner: BaseNode & { readonly tagName: string }) {
    this.#owner = owner;
  }

  get size(): number {
    return this.#map.size;
  }

  get(name: string): string | undefined {
    return this.#map.get(name);
  }

  has(name: string): boolean {
    return this.#map.has(name);
  }

  /** `true` sets a boolean attribute (''), `false`/`null`/`undefined` remove it. */
  set(name: string, value: AttributeValue): this {
    checkAttributeName(name);
    const after = attributeString(this.#owner.tagName, name, value);
    if (after === null) this.delete(name);
    else write(this, name, after);
    return this;
  }

  delete(name: string): boolean {
    const before = this.#map.get(name);
    if (before === undefined) return false;
    this.#map.delete(name);
    shownBy(this.#owner)?.recordAttribute(this.#owner, name, before, null);
    return true;
  }

  clear(): void {
    for (const name of [...this.#map.keys()]) this.delete(name);
  }

  /** Replaces every attribute with `attributes` (only real changes are recorded). */
  reset(attributes: Readonly<Record<string, AttributeValue>>): void {
    const next = new Map<string, string>();
    for (const [name, value] of Object.entries(attributes)) {
      checkAttributeName(name);
      const after = attributeString(this.#owner.tagName, name, value);
      if (after !== null) next.set(name, after);
    }
    for (const name of [...this.#map.keys()]) if (!next.has(name)) this.delete(name);
    for (const [name, value] of next) write(this, name, value);
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  entries(): IterableIterator<[string, string]> {
    return this.#map.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.#map);
  }

  static {
    attributeEntries = (map) => map.#map;
    write = (map, name, value) => {
      const before = map.#map.get(name);
      if (before === value) return;
      map.#map.set(name, value);
      shownBy(map.#owner)?.recordAttribute(map.#owner, name, before ?? null, value);
    };
  }
}
