/**
 * ParentNode: a node with children, shared by elements (Node) and fragments (HTML). It
 * owns the child list and the operations defined on it (text content, queries, structural
 * equality of children). Attributes and everything else an element has belong to Node.
 */
import { BaseNode, KIND, baseInternals } from './base-node.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import { NodeList, nodeListItems, type Child } from './node-list.js';
import { querySelector, querySelectorAll } from './selector.js';
import { TextNode } from './text-node.js';

const EMPTY: readonly BaseNode[] = Object.freeze([]);
const { kind } = baseInternals;
// Assigned in ParentNode's static block. A function rather than a private method, which
// would cost every node a hidden slot.
let childrenOf: (node: ParentNode) => readonly BaseNode[];

export abstract class ParentNode extends BaseNode {
  // Created on first use: leaf elements (img, input, br) never pay for a list.
  #nodes: NodeList | null = null;

  /** The children: append, insert, remove, pop, clear, at, set, iteration, length. */
  get nodes(): NodeList {
    return (this.#nodes ??= new NodeList(this));
  }

  append(...children: Child[]): this {
    this.nodes.append(...children);
    return this;
  }

  insert(index: number, ...children: Child[]): this {
    this.nodes.insert(index, ...children);
    return this;
  }

  getText(): string {
    const children = childrenOf(this);
    if (children.length === 1) return (children[0] as BaseNode).getText();
    let text = '';
    for (const child of children) text += child.getText();
    return text;
  }

  /**
   * Replaces the children with one TextNode holding `String(value)`. When the only child is
   * already a TextNode it is kept and its text changed, so a shown node sends one SET_TEXT.
   */
  setText(value: unknown): this {
    const text = value == null ? '' : String(value);
    const children = childrenOf(this);
    if (children.length === 1 && kind(children[0] as BaseNode) === KIND.TEXT) {
      (children[0] as TextNode).text = text;
    } else {
      this.nodes.clear();
      this.nodes.append(new TextNode(text));
    }
    return this;
  }

  querySelector(selector: string): Node | null {
    return querySelector(this, selector);
  }

  querySelectorAll(selector: string): Node[] {
    return querySelectorAll(this, selector);
  }

  /** Compares the children of two parents pairwise with `equals`. */
  protected childrenEqual(other: ParentNode): boolean {
    const a = childrenOf(this);
    const b = childrenOf(other);
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!(a[i] as BaseNode).equals(b[i])) return false;
    return true;
  }

  static {
    childrenOf = (node) => (node.#nodes === null ? EMPTY : nodeListItems(node.#nodes));
    internals.children = childrenOf;
  }
}
