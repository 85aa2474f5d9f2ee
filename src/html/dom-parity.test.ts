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
import { HTML } from './fragment.js';
import { Div } from './nodes/grouping.js';
import { Span } from './nodes/text-level.js';
import type { ParentNode } from './parent-node.js';
import { PatchRecorder } from './patch-recorder.js';
import { serializeNode } from './serialize.js';
import { DomView } from '../client/dom-view.js';
import {
  Mutator,
  canonical,
  canonicalOfHtml,
  mulberry32,
} from '../../test/helpers/tree-mutator.js';

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

function run(seed: number, root: ParentNode, steps: number): void {
  const mutator = new Mutator(seed, root);
  for (let i = 0; i < 8; i++) mutator.step();
  const recorder = new PatchRecorder(root);
  const dom = new TestDom(serializeNode(root));
  // The browser client's own renderer and patch applier, fed the same batches.
  const mount = document.createElement('div');
  const client = new DomView(mount as unknown as Element, { send: () => undefined });
  client.renderTree(serializeNode(root));
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
      const expected = canonicalOfHtml(root.toString(), document);
      expect(canonical(dom.container).slice(6, -3), `seed ${seed}, batch ${batch}`).toBe(expected);
      client.applyPatches(patches);
      expect(canonical(mount).slice(6, -3), `client, seed ${seed}, batch ${batch}`).toBe(expected);
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
