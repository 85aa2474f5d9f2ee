// @vitest-environment happy-dom
/**
 * Checks the patch engine against a real DOM: a tree is built from serializeNode() output,
 * every flushed batch is applied with a strict test-only applier (unknown ids, duplicate
 * ids, cycles and stale anchors throw), and after each batch the DOM must equal what the
 * server's toString() gives. Mutations are random, from a seeded PRNG, so failures replay.
 * The real browser client lives in src/client and is tested there.
 */
import type {
  Document as DomDocument,
  Element as DomElement,
  HTMLElement as DomHTMLElement,
  Node as DomNode,
  Text as DomText,
} from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { NODE_TYPE, type SerializedNode } from '../protocol/nodes.js';
import { PATCH_OP, type Patch } from '../protocol/patches.js';
import type { BaseNode } from './base-node.js';
import { HTML } from './fragment.js';
import { Node } from './node.js';
import { Div, Ul } from './nodes/grouping.js';
import { Section } from './nodes/sections.js';
import { B, Em, Span } from './nodes/text-level.js';
import type { ParentNode } from './parent-node.js';
import { PatchRecorder } from './patch-recorder.js';
import { serializeNode } from './serialize.js';
import { TextNode } from './text-node.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
// The happy-dom environment provides `document`; its types come from happy-dom, because the
// server's tsconfig has no DOM lib.
const document = (globalThis as unknown as { document: DomDocument }).document;

class TestDom {
  readonly container = document.createElement('div');
  readonly #ids = new Map<string, DomNode | DomHTMLElement>();
  readonly #idOf = new WeakMap<object, string>();

  constructor(tree: SerializedNode) {
    if (tree[0] === NODE_TYPE.ELEMENT && tree[2] === '') {
      this.#remember(tree[1], this.container);
      for (const child of tree[4]) this.container.append(this.#build(child, false));
    } else {
      this.container.append(this.#build(tree, false));
    }
  }

  #remember(id: string, node: DomNode | DomHTMLElement): void {
    if (this.#ids.has(id)) throw new Error(`duplicate node id ${id}`);
    this.#ids.set(id, node);
    this.#idOf.set(node, id);
  }

  #build(tuple: SerializedNode, svg: boolean): DomNode {
    if (tuple[0] === NODE_TYPE.TEXT) {
      const text = document.createTextNode(tuple[2]);
      this.#remember(tuple[1], text);
      return text;
    }
    if (tuple[0] === NODE_TYPE.RAW_HTML) throw new Error('raw html is not used here');
    const [, id, tag, attributes, children] = tuple;
    const inSvg = svg || tag === 'svg';
    const element = inSvg ? document.createElementNS(SVG_NS, tag) : document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    for (const child of children) element.append(this.#build(child, inSvg));
    this.#remember(id, element);
    return element;
  }

  #get(id: string): DomNode | DomHTMLElement {
    const node = this.#ids.get(id);
    if (node === undefined) throw new Error(`unknown node id ${id}`);
    return node;
  }

  #element(id: string): DomElement {
    const node = this.#get(id);
    if (node.nodeType !== 1) throw new Error(`${id} is not an element`);
    return node as DomElement;
  }

  #anchor(parent: DomElement, beforeId: string | null): DomNode | null {
    if (beforeId === null) return null;
    const before = this.#get(beforeId);
    if (before.parentNode !== parent)
      throw new Error(`anchor ${beforeId} is not a child of its parent`);
    return before as DomNode;
  }

  #forget(node: DomNode): void {
    const id = this.#idOf.get(node);
    if (id !== undefined) this.#ids.delete(id);
    for (const child of Array.from(node.childNodes)) this.#forget(child);
  }

  apply(patches: Patch[]): void {
    for (const patch of patches) this.#apply(patch);
  }

  #apply(patch: Patch): void {
    switch (patch[0]) {
      case PATCH_OP.SET_TEXT: {
        const node = this.#get(patch[1]);
        if (node.nodeType !== 3) throw new Error('SET_TEXT on a non-text node');
        (node as DomText).data = patch[2];
        return;
      }
      case PATCH_OP.INSERT: {
        const parent = this.#element(patch[1]);
        const anchor = this.#anchor(parent, patch[2]);
        const svg = parent.namespaceURI === SVG_NS;
        parent.insertBefore(this.#build(patch[3], svg), anchor);
        return;
      }
      case PATCH_OP.REMOVE: {
        const node = this.#get(patch[1]);
        if (node.parentNode === null) throw new Error(`REMOVE of a detached node ${patch[1]}`);
        node.parentNode.removeChild(node);
        this.#forget(node);
        return;
      }
      case PATCH_OP.MOVE: {
        const node = this.#get(patch[1]);
        const parent = this.#element(patch[2]);
        if (node === parent || node.contains(parent))
          throw new Error(`MOVE ${patch[1]} into itself`);
        const anchor = this.#anchor(parent, patch[3]);
        if (anchor === node) throw new Error('MOVE before itself');
        parent.insertBefore(node, anchor);
        return;
      }
      case PATCH_OP.CLEAR: {
        const parent = this.#element(patch[1]);
        for (const child of Array.from(parent.childNodes)) {
          parent.removeChild(child);
          this.#forget(child);
        }
        return;
      }
      case PATCH_OP.SET_ATTRIBUTE:
        this.#element(patch[1]).setAttribute(patch[2], patch[3]);
        return;
      case PATCH_OP.REMOVE_ATTRIBUTE:
        this.#element(patch[1]).removeAttribute(patch[2]);
        return;
      case PATCH_OP.ADD_CLASS:
        this.#element(patch[1]).classList.add(patch[2]);
        return;
      case PATCH_OP.REMOVE_CLASS:
        this.#element(patch[1]).classList.remove(patch[2]);
        return;
      case PATCH_OP.ADD_ID:
      case PATCH_OP.REMOVE_ID: {
        const element = this.#element(patch[1]);
        const ids = new Set((element.getAttribute('id') ?? '').split(/\s+/).filter(Boolean));
        if (patch[0] === PATCH_OP.ADD_ID) ids.add(patch[2]);
        else ids.delete(patch[2]);
        element.setAttribute('id', [...ids].join(' '));
        return;
      }
      case PATCH_OP.SET_STYLE:
        (this.#element(patch[1]) as DomHTMLElement).style.setProperty(patch[2], patch[3]);
        return;
      case PATCH_OP.REMOVE_STYLE:
        (this.#element(patch[1]) as DomHTMLElement).style.removeProperty(patch[2]);
        return;
      default:
        return; // events and widgets do not show in markup
    }
  }
}

/** Markup with sorted attributes, tokens and style declarations, so order does not count. */
function canonical(node: DomNode): string {
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

function canonicalOfHtml(html: string): string {
  const holder = document.createElement('div');
  holder.innerHTML = html;
  return Array.from(holder.childNodes).map(canonical).join('');
}

function mulberry32(seed: number): () => number {
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

class Mutator {
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

function run(seed: number, root: ParentNode, steps: number): void {
  const mutator = new Mutator(seed, root);
  for (let i = 0; i < 8; i++) mutator.step();
  const recorder = new PatchRecorder(root);
  const dom = new TestDom(serializeNode(root));
  const rand = mulberry32(seed ^ 0x5bd1e995);
  let batch = 0;
  for (let i = 0; i < steps; i++) {
    mutator.step();
    if (rand() < 0.25 || i === steps - 1) {
      batch++;
      const { patches } = recorder.flush();
      try {
        dom.apply(patches);
      } catch (error) {
        throw new Error(
          `seed ${seed}, batch ${batch}: ${(error as Error).message}\n${JSON.stringify(patches)}`,
        );
      }
      expect(canonical(dom.container).slice(6, -3), `seed ${seed}, batch ${batch}`).toBe(
        canonicalOfHtml(root.toString()),
      );
    }
  }
}

describe('patches applied to a DOM', () => {
  it('keep the DOM equal to toString() through random mutations of an element root', () => {
    for (let seed = 1; seed <= 60; seed++) run(seed, new Div({ id: 'root' }), 120);
  });

  it('keep the DOM equal to toString() through random mutations of a fragment root', () => {
    for (let seed = 101; seed <= 130; seed++) run(seed, new HTML(new Div('a'), new Span('b')), 120);
  });
});
