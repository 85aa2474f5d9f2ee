/**
 * Test helpers shared by the rendering-parity suites (src/html/dom-parity.test.ts in
 * happy-dom, test/e2e/parity.e2e.ts in Chromium): a seeded random mutator of a node tree,
 * and a canonical form of markup (sorted attributes, tokens and style declarations) so
 * that a DOM and the server's toString() can be compared whatever their attribute order.
 */
import type {
  Document as DomDocument,
  Element as DomElement,
  Node as DomNode,
  Text as DomText,
} from 'happy-dom';
import type { BaseNode } from '../../src/html/base-node.js';
import { Node } from '../../src/html/node.js';
import { Div, Ul } from '../../src/html/nodes/grouping.js';
import { Section } from '../../src/html/nodes/sections.js';
import { B, Em, Span } from '../../src/html/nodes/text-level.js';
import type { ParentNode } from '../../src/html/parent-node.js';
import { TextNode } from '../../src/html/text-node.js';

/** Markup with sorted attributes, tokens and style declarations, so order does not count. */
export function canonical(node: DomNode): string {
  if (node.nodeType === 3)
    return (node as DomText).data.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (node.nodeType !== 1) return '';
  const element = node as DomElement;
  const attributes: string[] = [];
  for (const { name, value } of Array.from(element.attributes)) {
    let text = value ?? '';
    if (name === 'class' || name === 'id')
      text = text.split(/\s+/).filter(Boolean).sort().join(' ');
    if (name === 'style') {
      text = text
        .split(';')
        .map((d) => d.trim().replace(/\s*:\s*/, ':'))
        .filter(Boolean)
        .sort()
        .join(';');
    }
    if (text !== '' || (name !== 'class' && name !== 'id' && name !== 'style'))
      attributes.push(`${name}="${text}"`);
  }
  attributes.sort();
  const inner = Array.from(element.childNodes).map(canonical).join('');
  return `<${element.tagName.toLowerCase()} ${attributes.join(' ')}>${inner}</>`;
}

export function canonicalOfHtml(html: string, doc: DomDocument): string {
  const holder = doc.createElement('div');
  holder.innerHTML = html;
  return Array.from(holder.childNodes).map(canonical).join('');
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Tags the HTML parser nests freely, so that toString() parses back to the same tree.
const TAGS = [Div, Span, Section, Ul, Em, B];
const STYLES: [string, string][] = [
  ['color', 'red'],
  ['color', 'blue'],
  ['margin', '1px'],
  ['--gap', '2px'],
];

export class Mutator {
  readonly #rand: () => number;
  readonly #root: ParentNode;
  readonly #pool: Node[] = [];
  #counter = 0;

  constructor(seed: number, root: ParentNode) {
    this.#rand = mulberry32(seed);
    this.#root = root;
  }

  #int(n: number): number {
    return Math.floor(this.#rand() * n);
  }

  #pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.#int(items.length)];
  }

  #elements(): Node[] {
    const out: Node[] = [];
    const walk = (parent: ParentNode): void => {
      for (const child of parent.nodes) {
        if (child instanceof Node) {
          out.push(child);
          walk(child);
        }
      }
    };
    walk(this.#root);
    return out;
  }

  #newNode(): BaseNode {
    const n = ++this.#counter;
    if (this.#rand() < 0.3) return new TextNode(`t${n}`);
    const Tag = TAGS[this.#int(TAGS.length)] as typeof Div;
    const node = new Tag(
      { class: this.#rand() < 0.5 ? `c${n % 5}` : undefined },
      this.#rand() < 0.6 ? `n${n}` : null,
    );
    if (this.#rand() < 0.3) node.append(new Span(`s${n}`));
    this.#pool.push(node);
    return node;
  }

  #parent(): ParentNode {
    const elements = this.#elements();
    if (elements.length === 0 || this.#rand() < 0.15) return this.#root;
    return this.#pick(elements) as Node;
  }

  #randomChild(): BaseNode | undefined {
    const parent = this.#pick(this.#elements().filter((e) => e.nodes.length > 0)) ?? this.#root;
    return parent.nodes.length === 0 ? undefined : parent.nodes.at(this.#int(parent.nodes.length));
  }

  step(): void {
    const elements = this.#elements();
    const target = this.#pick(elements);
    const big = elements.length > 50;
    switch (this.#int(16)) {
      case 0:
      case 1: {
        const parent = this.#parent();
        if (!big) parent.nodes.insert(this.#int(parent.nodes.length + 1), this.#newNode());
        return;
      }
      case 2:
        this.#randomChild()?.remove();
        return;
      case 3:
      case 4: {
        // move an attached or detached node somewhere in the tree
        const node = this.#rand() < 0.5 ? this.#randomChild() : this.#pick(this.#pool);
        const parent = this.#parent();
        if (
          node === undefined ||
          node === parent ||
          (node instanceof Node && isInside(parent, node))
        )
          return;
        parent.nodes.insert(this.#int(parent.nodes.length + 1), node);
        return;
      }
      case 5:
        target?.setText(`x${this.#int(9)}`);
        return;
      case 6: {
        const child = this.#randomChild();
        if (child instanceof TextNode) child.text = `y${this.#int(9)}`;
        return;
      }
      case 7:
        if (target === undefined) return;
        if (this.#rand() < 0.6) target.attributes.set('data-x', String(this.#int(4)));
        else target.attributes.delete('data-x');
        return;
      case 8:
        target?.classList.toggle(`k${this.#int(4)}`);
        return;
      case 9:
        if (target === undefined) return;
        if (this.#rand() < 0.6) target.style.set(...(this.#pick(STYLES) as [string, string]));
        else target.style.delete('color');
        return;
      case 10:
        if (this.#rand() < 0.4) (target ?? this.#root).nodes.clear();
        return;
      case 11: {
        const parent = target ?? this.#root;
        if (parent.nodes.length === 0) return;
        const node = this.#rand() < 0.5 ? this.#newNode() : this.#pick(this.#pool);
        if (
          node === undefined ||
          (node instanceof Node && (node === parent || isInside(parent, node)))
        )
          return;
        parent.nodes.set(this.#int(parent.nodes.length), node);
        return;
      }
      case 12: {
        const parent = target ?? this.#root;
        const children = parent.nodes.toArray().reverse();
        parent.nodes.clear();
        parent.append(children);
        return;
      }
      case 13: {
        // mutate a node that may be detached, to be re-inserted later
        const node = this.#pick(this.#pool);
        if (node === undefined) return;
        node.classList.toggle('d');
        if (this.#rand() < 0.5) node.setText(`d${this.#int(9)}`);
        else node.append(this.#newNode());
        return;
      }
      case 14:
        if (target === undefined) return;
        if (this.#rand() < 0.5) target.hide();
        else target.show();
        return;
      default: {
        const parent = target ?? this.#root;
        if (parent.nodes.length > 0) parent.nodes.pop(this.#int(parent.nodes.length));
      }
    }
  }
}

function isInside(node: ParentNode, ancestor: Node): boolean {
  for (let p: ParentNode | null = node; p !== null; p = p.parent) if (p === ancestor) return true;
  return false;
}
