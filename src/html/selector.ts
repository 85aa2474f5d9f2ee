/**
 * CSS selectors for querySelector, querySelectorAll and closest: type (`div`, `*`), `#id`,
 * `.class`, `[attr]`, `[attr=value]` (value quoted or not), compounds of these, the
 * descendant combinator (a space) and `,` alternatives. Everything else (`>`, `+`, `~`,
 * pseudo-classes and elements, other attribute operators) is LONA_ERR_HTML_BAD_SELECTOR,
 * never a silent non-match. Matching follows the DOM: ancestors outside the search scope
 * count for descendant combinators.
 */
import { LonaError } from '../errors.js';
import { KIND, baseInternals, type BaseNode } from './base-node.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';
import { styleText } from './style-map.js';

interface Compound {
  tag: string | null;
  ids: string[];
  classes: string[];
  attributes: [name: string, value: string | null][];
}
/** Compounds from left to right, joined by descendant combinators. */
type Complex = Compound[];

const IDENT = /[-A-Za-z0-9_\u00A0-\uFFFF]/;
const cache = new Map<string, Complex[]>();
const { kind } = baseInternals;

export function parseSelector(selector: string): Complex[] {
  const cached = cache.get(selector);
  if (cached !== undefined) return cached;
  const parsed = new SelectorParser(selector).parse();
  if (cache.size >= 256) cache.clear(); // bound the cache; selectors in loops stay hot
  cache.set(selector, parsed);
  return parsed;
}

class SelectorParser {
  readonly #text: string;
  #i = 0;

  constructor(text: string) {
    this.#text = text;
  }

  parse(): Complex[] {
    const list: Complex[] = [];
    let complex: Complex = [];
    for (;;) {
      this.#skipSpace();
      const ch = this.#text[this.#i];
      if (ch === undefined || ch === ',') {
        if (complex.length === 0) this.#fail('empty alternative');
        list.push(complex);
        if (ch === undefined) return list;
        complex = [];
        this.#i++;
        continue;
      }
      complex.push(this.#compound());
    }
  }

  #compound(): Compound {
    const compound: Compound = { tag: null, ids: [], classes: [], attributes: [] };
    const start = this.#i;
    if (this.#text[this.#i] === '*') {
      this.#i++;
      compound.tag = '*';
    } else if (IDENT.test(this.#text[this.#i] ?? '')) compound.tag = this.#ident().toLowerCase();
    for (;;) {
      const ch = this.#text[this.#i];
      if (ch === '#') compound.ids.push(this.#prefixed());
      else if (ch === '.') compound.classes.push(this.#prefixed());
      else if (ch === '[') compound.attributes.push(this.#attribute());
      else if (ch === undefined || ch === ',' || ch === ' ' || ch === '\t' || ch === '\n') break;
      else if (ch === '>' || ch === '+' || ch === '~') this.#fail(`the '${ch}' combinator`);
      else if (ch === ':') this.#fail('pseudo-classes and pseudo-elements');
      else this.#fail(`unexpected '${ch}'`);
    }
    if (this.#i === start) this.#fail('empty compound');
    return compound;
  }

  #prefixed(): string {
    this.#i++;
    return this.#ident();
  }

  #attribute(): [string, string | null] {
    this.#i++;
    this.#skipSpace();
    const name = this.#ident();
    this.#skipSpace();
    let value: string | null = null;
    if (this.#text[this.#i] === '=') {
      this.#i++;
      this.#skipSpace();
      const quote = this.#text[this.#i];
      if (quote === '"' || quote === "'") {
        const end = this.#text.indexOf(quote, this.#i + 1);
        if (end === -1) this.#fail('unterminated string');
        value = this.#text.slice(this.#i + 1, end);
        this.#i = end + 1;
      } else value = this.#ident();
      this.#skipSpace();
    } else if (this.#text[this.#i] !== ']') {
      this.#fail('attribute operators other than =');
    }
    if (this.#text[this.#i] !== ']') this.#fail("missing ']'");
    this.#i++;
    return [name, value];
  }

  #ident(): string {
    const start = this.#i;
    while (IDENT.test(this.#text[this.#i] ?? '')) this.#i++;
    if (this.#i === start) this.#fail('expected a name');
    return this.#text.slice(start, this.#i);
  }

  #skipSpace(): void {
    while (/\s/.test(this.#text[this.#i] ?? '')) this.#i++;
  }

  #fail(reason: string): never {
    throw new LonaError('LONA_ERR_HTML_BAD_SELECTOR', { selector: this.#text, reason });
  }
}

function attributeForMatch(node: Node, name: string): string | undefined {
  switch (name) {
    case 'id':
    case 'class': {
      const text = internals.tokenText(node, name);
      return text === '' ? undefined : text;
    }
    case 'style': {
      const style = internals.style(node);
      return style === null || style.size === 0 ? undefined : styleText(style);
    }
    default:
      return internals.attributes(node)?.get(name);
  }
}

function matchesCompound(node: Node, c: Compound): boolean {
  if (c.tag !== null && c.tag !== '*' && node.tagName.toLowerCase() !== c.tag) return false;
  for (const id of c.ids) if (!internals.hasToken(node, 'id', id)) return false;
  for (const cls of c.classes) if (!internals.hasToken(node, 'class', cls)) return false;
  for (const [name, value] of c.attributes) {
    const actual = attributeForMatch(node, name);
    if (actual === undefined || (value !== null && actual !== value)) return false;
  }
  return true;
}

function matchesComplex(node: Node, complex: Complex): boolean {
  let i = complex.length - 1;
  if (!matchesCompound(node, complex[i] as Compound)) return false;
  // Descendant combinators only: taking the nearest matching ancestor is always safe.
  for (let p = node.parent; i > 0 && p !== null; p = p.parent) {
    if (kind(p) === KIND.ELEMENT && matchesCompound(p as Node, complex[i - 1] as Compound)) i--;
  }
  return i === 0;
}

export function matches(node: Node, selector: string): boolean {
  return parseSelector(selector).some((complex) => matchesComplex(node, complex));
}

function collect(scope: ParentNode, list: Complex[], out: Node[], first: boolean): boolean {
  for (const child of internals.children(scope)) {
    if (kind(child) !== KIND.ELEMENT) continue;
    const node = child as Node;
    if (list.some((complex) => matchesComplex(node, complex))) {
      out.push(node);
      if (first) return true;
    }
    if (collect(node, list, out, first)) return true;
  }
  return false;
}

/** Descendant elements of `scope` matching `selector`, in document order. */
export function querySelectorAll(scope: ParentNode, selector: string): Node[] {
  const out: Node[] = [];
  collect(scope, parseSelector(selector), out, false);
  return out;
}

export function querySelector(scope: ParentNode, selector: string): Node | null {
  const out: Node[] = [];
  collect(scope, parseSelector(selector), out, true);
  return out[0] ?? null;
}

/** `node` itself or its nearest ancestor element matching `selector`. */
export function closest(node: Node, selector: string): Node | null {
  const list = parseSelector(selector);
  for (let p: BaseNode | null = node; p !== null; p = p.parent) {
    if (kind(p) === KIND.ELEMENT && list.some((c) => matchesComplex(p as Node, c)))
      return p as Node;
  }
  return null;
}
