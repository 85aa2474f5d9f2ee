/**
 * TokenList: an element's idList or classList, a set of tokens kept in insertion order
 * (the order they render in; equality ignores it). Each real change is reported to the
 * patch sink as one ADD/REMOVE of a token; adding a present token records nothing.
 */
import { LonaError } from '../errors.js';
import { baseInternals, type BaseNode } from './base-node.js';

/**
 * html/-internal: a list holding `text` (tokens already checked, unique, joined by single
 * spaces) without recording anything, since the client already has them. Node keeps a
 * plain string until the list is first used, and builds it with this.
 */
export let tokenListOf: (owner: BaseNode, list: 'id' | 'class', text: string) => TokenList;

const { shownBy } = baseInternals;
const WHITESPACE = /\s/;
const SPLIT = /\s+/;

/** Whether `token` may be in a list: a non-empty string without whitespace. */
export function isToken(token: unknown): token is string {
  return typeof token === 'string' && token.length > 0 && !WHITESPACE.test(token);
}

/** Splits "a b  c" into tokens; arrays are taken as given (and checked on add). */
export function toTokens(value: string | Iterable<string>): string[] {
  if (typeof value === 'string') return value.split(SPLIT).filter((t) => t.length > 0);
  return [...value];
}

export class TokenList implements Iterable<string> {
  readonly #owner: BaseNode;
  readonly #list: 'id' | 'class';
  readonly #tokens = new Set<string>();

  constructor(owner: BaseNode, list: 'id' | 'class') {
    this.#owner = owner;
    this.#list = list;
  }

  get size(): number {
    return this.#tokens.size;
  }

  has(token: string): boolean {
    return this.#tokens.has(token);
  }

  add(...tokens: string[]): this {
    for (const token of tokens) {
      checkToken(this.#list, token);
      if (this.#tokens.has(token)) continue;
      this.#tokens.add(token);
      shownBy(this.#owner)?.recordToken(this.#owner, this.#list, token, true);
    }
    return this;
  }

  /** Removes tokens; missing ones are ignored. */
  remove(...tokens: string[]): this {
    for (const token of tokens) {
      if (!this.#tokens.delete(token)) continue;
      shownBy(this.#owner)?.recordToken(this.#owner, this.#list, token, false);
    }
    return this;
  }

  /** Adds or removes `token` (or forces it with `force`); returns whether it is present. */
  toggle(token: string, force?: boolean): boolean {
    const present = force ?? !this.#tokens.has(token);
    if (present) this.add(token);
    else this.remove(token);
    return present;
  }

  clear(): void {
    this.remove(...this.#tokens);
  }

  /** Replaces all tokens (a string is split on whitespace); only real changes are recorded. */
  reset(tokens: string | Iterable<string>): void {
    const next = toTokens(tokens);
    for (const token of next) checkToken(this.#list, token);
    const keep = new Set(next);
    for (const token of [...this.#tokens]) if (!keep.has(token)) this.remove(token);
    this.add(...next);
  }

  [Symbol.iterator](): IterableIterator<string> {
    return this.#tokens.values();
  }

  /** The tokens joined by spaces, as in the HTML attribute. */
  toString(): string {
    return [...this.#tokens].join(' ');
  }

  static {
    tokenListOf = (owner, list, text) => {
      const tokens = new TokenList(owner, list);
      if (text !== '') for (const token of text.split(' ')) tokens.#tokens.add(token);
      return tokens;
    };
  }
}

// A function, not a private method: a private method costs every instance a hidden slot.
function checkToken(list: 'id' | 'class', token: string): void {
  if (!isToken(token)) {
    const name = list === 'id' ? 'idList' : 'classList';
    throw new LonaError('LONA_ERR_HTML_BAD_TOKEN', { list: name, token: String(token) });
  }
}
