/**
 * StyleMap: an element's inline style, one entry per CSS property (custom properties such
 * as `--accent` included). camelCase names are taken as their kebab-case property, so
 * `{ backgroundColor: 'red' }` works. Each real change is reported to the patch sink as a
 * SET_STYLE / REMOVE_STYLE of one property; the attribute form is "a: b; c: d".
 */
import { LonaError } from '../errors.js';
import { baseInternals, type BaseNode } from './base-node.js';
import { describeValue } from './escape.js';

/** html/-internal access to the backing map. */
export let styleEntries: (style: StyleMap) => ReadonlyMap<string, string>;

const { shownBy } = baseInternals;
const NAME_RE = /^(--[A-Za-z0-9_-]+|-?[a-z][a-z0-9-]*)$/;
const UPPER = /[A-Z]/g;

export type StyleValue = string | number | null | undefined;

/** `backgroundColor` → `background-color`; custom properties are kept as written. */
export function cssPropertyName(name: string): string {
  if (name.startsWith('--')) return name;
  return name.replace(UPPER, (ch) => '-' + ch.toLowerCase());
}

/** Splits "a: b; c: url('x;y')" into declarations, respecting quotes and parentheses. */
export function parseStyle(text: string): [string, string][] {
  const out: [string, string][] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (ch === undefined || (ch === ';' && depth === 0)) {
      const declaration = text.slice(start, i);
      const colon = declaration.indexOf(':');
      if (colon > 0) {
        const name = declaration.slice(0, colon).trim();
        const value = declaration.slice(colon + 1).trim();
        if (name !== '' && value !== '') out.push([name, value]);
      }
      start = i + 1;
    }
  }
  return out;
}

export class StyleMap implements Iterable<[string, string]> {
  readonly #owner: BaseNode;
  readonly #map = new Map<string, string>();

  constructor(owner: BaseNode) {
    this.#owner = owner;
  }

  get size(): number {
    return this.#map.size;
  }

  get(name: string): string | undefined {
    return this.#map.get(cssPropertyName(name));
  }

  has(name: string): boolean {
    return this.#map.has(cssPropertyName(name));
  }

  /** Sets one property; `''`, `null` and `undefined` remove it (as in the DOM). */
  set(name: string, value: StyleValue): this {
    const property = cssPropertyName(name);
    if (
      !NAME_RE.test(property) ||
      (value !== null && !['string', 'number', 'undefined'].includes(typeof value))
    ) {
      throw new LonaError('LONA_ERR_HTML_BAD_STYLE', { name, got: describeValue(value) });
    }
    const text = value == null ? '' : String(value).trim();
    if (text === '') {
      this.delete(property);
      return this;
    }
    const before = this.#map.get(property);
    if (before === text) return this;
    this.#map.set(property, text);
    shownBy(this.#owner)?.recordStyle(this.#owner, property, before ?? null, text);
    return this;
  }

  delete(name: string): boolean {
    const property = cssPropertyName(name);
    const before = this.#map.get(property);
    if (before === undefined) return false;
    this.#map.delete(property);
    shownBy(this.#owner)?.recordStyle(this.#owner, property, before, null);
    return true;
  }

  clear(): void {
    for (const name of [...this.#map.keys()]) this.delete(name);
  }

  /** Replaces the whole style with an object or an "a: b; c: d" string. */
  reset(style: string | Readonly<Record<string, StyleValue>>): void {
    const entries = typeof style === 'string' ? parseStyle(style) : Object.entries(style);
    const keep = new Set(
      entries.filter(([, v]) => v != null && v !== '').map(([n]) => cssPropertyName(n)),
    );
    for (const name of [...this.#map.keys()]) if (!keep.has(name)) this.delete(name);
    for (const [name, value] of entries) this.set(name, value);
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }

  /** The attribute form: "a: b; c: d". */
  toString(): string {
    return styleText(this.#map);
  }

  static {
    styleEntries = (style) => style.#map;
  }
}

/** Renders a style map as "a: b; c: d" (shared by toString, render and serialize). */
export function styleText(map: ReadonlyMap<string, string>): string {
  let out = '';
  for (const [name, value] of map) out += (out === '' ? '' : '; ') + name + ': ' + value;
  return out;
}
