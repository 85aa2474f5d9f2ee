/**
 * NodeList: the ordered children of a ParentNode, with list operations that keep the tree
 * consistent: one parent per node (inserting a mounted node moves it), no cycles, strings
 * and numbers become TextNodes, arrays, iterables and HTML fragments are flattened. Before
 * the first change of a list the client holds, it tells the patch sink, which keeps a copy
 * and works out the structural patches at flush; the list itself never builds patches.
 *
 * Index access is `at(i)` / `set(i, node)`; there is no Proxy, because it would slow every
 * access of every list for a little syntax.
 */
import { LonaError } from '../errors.js';
import { BaseNode, KIND, baseInternals } from './base-node.js';
import { describeValue } from './escape.js';
import { VOID_TAGS } from './html-spec.js';
import type { ParentNode } from './parent-node.js';
import { TextNode } from './text-node.js';

/** What may be passed as children: nodes, text, and (nested) iterables of them. */
export type Child = BaseNode | string | number | boolean | null | undefined | Iterable<Child>;

/** html/-internal access to a list's backing array (read-only by convention). */
export let nodeListItems: (list: NodeList) => readonly BaseNode[];

const { kind, setParent, shownBy, attached } = baseInternals;

// NodeList's helpers, assigned in its static block. Functions rather than private methods,
// which would cost every list a hidden slot.
let checkIndex: (list: NodeList, index: number, forInsert: boolean) => number;
let checkInsertable: (list: NodeList, node: BaseNode) => void;
/** Inserts `node` at `index` (as counted before a move out of this list); returns where. */
let insertAt: (list: NodeList, index: number, node: BaseNode) => number;
let removeAt: (list: NodeList, index: number) => BaseNode;

export class NodeList implements Iterable<BaseNode> {
  readonly #owner: ParentNode;
  #items: BaseNode[] = [];

  constructor(owner: ParentNode) {
    this.#owner = owner;
  }

  get length(): number {
    return this.#items.length;
  }

  /** The child at `index`; negative indexes count from the end. */
  at(index: number): BaseNode | undefined {
    return this.#items.at(index);
  }

  indexOf(node: BaseNode): number {
    return this.#items.indexOf(node);
  }

  includes(node: BaseNode): boolean {
    return this.#items.includes(node);
  }

  [Symbol.iterator](): Iterator<BaseNode> {
    return this.#items[Symbol.iterator]();
  }

  /** A copy of the children, for array methods (map, filter, ...). */
  toArray(): BaseNode[] {
    return this.#items.slice();
  }

  append(...children: Child[]): void {
    const wasEmpty = this.#items.length === 0;
    for (const node of flattenChildren(children, [])) insertAt(this, this.#items.length, node);
    // An array grown by push() keeps room for 17 items (152 bytes). Most lists are filled
    // once, with their element, and stay short, and a view may show thousands of them, so
    // a list filled from empty keeps a copy of its exact size instead.
    if (wasEmpty && this.#items.length > 0) this.#items = this.#items.slice();
  }

  /** Inserts before the child at `index` (0..length; negative counts from the end). */
  insert(index: number, ...children: Child[]): void {
    let at = checkIndex(this, index, true);
    for (const node of flattenChildren(children, [])) at = insertAt(this, at, node) + 1;
  }

  /** Replaces the child at `index` with one node (moved here if it is mounted elsewhere). */
  set(index: number, child: BaseNode | string | number): void {
    const at = checkIndex(this, index, false);
    const [node, extra] = flattenChildren([child], []);
    if (node === undefined || extra !== undefined) {
      throw new LonaError('LONA_ERR_HTML_BAD_CHILD', { got: describeValue(child) });
    }
    const old = this.#items[at] as BaseNode;
    if (node === old) return;
    checkInsertable(this, node);
    if (node.parent !== null) node.parent.nodes.remove(node);
    insertAt(this, this.#items.indexOf(old), node);
    this.remove(old);
  }

  /** Removes `node` (by identity); false when it is not a child of this list. */
  remove(node: BaseNode): boolean {
    const index = this.#items.indexOf(node);
    if (index === -1) return false;
    removeAt(this, index);
    return true;
  }

  /** Removes and returns the child at `index` (default: the last). */
  pop(index = -1): BaseNode {
    return removeAt(this, checkIndex(this, index, false));
  }

  clear(): void {
    if (this.#items.length === 0) return;
    shownBy(this.#owner)?.recordChildList(this.#owner);
    for (const node of this.#items) setParent(node, null);
    this.#items = [];
  }

  static {
    nodeListItems = (list) => list.#items;
    checkIndex = (list, index, forInsert) => {
      const length = list.#items.length;
      const at = index < 0 ? index + length : index;
      const max = forInsert ? length : length - 1;
      if (!Number.isInteger(at) || at < 0 || at > max) {
        throw new LonaError('LONA_ERR_HTML_INDEX', { index, length });
      }
      return at;
    };

    checkInsertable = (list, node) => {
      const owner = list.#owner;
      const tag = (owner as { tagName?: string }).tagName;
      if (tag !== undefined && VOID_TAGS.has(tag.toLowerCase())) {
        throw new LonaError('LONA_ERR_HTML_RAW_NO_CHILDREN', { node: `<${tag}>` });
      }
      if (attached(node)?.isLive === true) throw new LonaError('LONA_ERR_HTML_SHOWN_ELSEWHERE');
      const k = kind(node);
      if (k === KIND.TEXT || k === KIND.RAW_HTML) return;
      for (let p: BaseNode | null = owner; p !== null; p = p.parent) {
        if (p === node) throw new LonaError('LONA_ERR_HTML_CYCLE');
      }
    };

    insertAt = (list, index, node) => {
      checkInsertable(list, node);
      const oldParent = node.parent;
      if (oldParent !== null) {
        const from = oldParent.nodes;
        const oldIndex = from.#items.indexOf(node);
        removeAt(from, oldIndex);
        if (from === list && oldIndex < index) index--;
      }
      const owner = list.#owner;
      shownBy(owner)?.recordChildList(owner);
      shownBy(node)?.recordKnownMoved();
      if (index === list.#items.length) list.#items.push(node);
      else list.#items.splice(index, 0, node);
      setParent(node, owner);
      return index;
    };

    removeAt = (list, index) => {
      const owner = list.#owner;
      shownBy(owner)?.recordChildList(owner);
      const node = list.#items[index] as BaseNode;
      if (index === list.#items.length - 1) list.#items.pop();
      else list.#items.splice(index, 1);
      setParent(node, null);
      return node;
    };
  }
}

/** Flattens children into `out`: text becomes TextNodes, fragments give up their children. */
export function flattenChildren(children: Iterable<Child>, out: BaseNode[]): BaseNode[] {
  for (const child of children) {
    if (child === null || child === undefined || typeof child === 'boolean') continue;
    if (typeof child === 'string') out.push(new TextNode(child));
    else if (typeof child === 'number') out.push(new TextNode(String(child)));
    else if (child instanceof BaseNode) {
      if (kind(child) === KIND.FRAGMENT) out.push(...(child as ParentNode).nodes.toArray());
      else out.push(child);
    } else if (typeof child === 'object' && Symbol.iterator in child) flattenChildren(child, out);
    else throw new LonaError('LONA_ERR_HTML_BAD_CHILD', { got: describeValue(child) });
  }
  return out;
}
