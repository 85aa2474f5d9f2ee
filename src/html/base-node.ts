/**
 * BaseNode: what every node of the server-side tree has: a process-unique `nodeId`, one
 * parent, a root, structural equality and HTML rendering. It also holds the two slots the
 * patch recorder relies on (which recorder's client has this node, and which recorder is
 * attached to this node as a root). Child lists belong to ParentNode, element content to
 * Node, and turning mutations into patches to PatchRecorder.
 */
import type { NodeId } from '../protocol/nodes.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';
import type { PatchSink } from './patch-sink.js';

/**
 * What a node is. Modules switch on this instead of `instanceof`, so that no module needs
 * a runtime import of a subclass (that would make class definitions order-dependent).
 */
export const KIND = { TEXT: 0, ELEMENT: 1, RAW_HTML: 2, FRAGMENT: 3 } as const;
export type NodeKind = (typeof KIND)[keyof typeof KIND];

let lastNodeId = 0;

/** html/-internal access to BaseNode's private slots; never exported from the package. */
export interface BaseNodeInternals {
  kind(node: BaseNode): NodeKind;
  /** Declares the kind of every instance of `cls` (from the class's static block). */
  setKind(cls: abstract new (...args: never[]) => BaseNode, kind: NodeKind): void;
  setParent(node: BaseNode, parent: ParentNode | null): void;
  /** The sink whose client holds this node (as of its last flush), or null. */
  shownBy(node: BaseNode): PatchSink | null;
  setShownBy(node: BaseNode, sink: PatchSink | null): void;
  /** The live recorder attached to this node as a root, or null. */
  attached(node: BaseNode): PatchSink | null;
  setAttached(node: BaseNode, sink: PatchSink | null): void;
}
// Assigned by the static block below; modules read it only after all classes are defined.
export let baseInternals: BaseNodeInternals;

// The kind is the same for every instance of a class, so it is stored once on the class's
// prototype (by setKind) rather than in a slot of every node.
const KIND_KEY: unique symbol = Symbol('lona.kind');

export abstract class BaseNode {
  declare private readonly [KIND_KEY]: NodeKind;
  #nodeId: NodeId | null = null;
  #parent: ParentNode | null = null;
  #shownBy: PatchSink | null = null;
  #attached: PatchSink | null = null;

  /**
   * Short process-unique id (base 36 counter) that patches use to address this node. Given
   * on first use, so nodes that are never shown cost no string. Not the HTML `id`.
   */
  get nodeId(): NodeId {
    return (this.#nodeId ??= (++lastNodeId).toString(36));
  }

  get parent(): ParentNode | null {
    return this.#parent;
  }

  /** The parent when it is an element (not an HTML fragment root), as in the DOM. */
  get parentElement(): Node | null {
    const parent = this.#parent;
    return parent !== null && parent[KIND_KEY] === KIND.ELEMENT
      ? (parent as unknown as Node)
      : null;
  }

  /** The topmost ancestor (this node when it has no parent). */
  get root(): BaseNode {
    let top = this.#parent;
    if (top === null) return this;
    while (top.#parent !== null) top = top.#parent;
    return top;
  }

  /** Removes this node from its parent (no-op without one). */
  remove(): this {
    this.#parent?.nodes.remove(this);
    return this;
  }

  /** Structural comparison: same kind, tag, attributes, text and children (not identity). */
  abstract equals(other: unknown): boolean;
  /** Text content: the text of every descendant TextNode, in document order. */
  abstract getText(): string;
  /** HTML markup (escaped, no node ids): what an HTTP response shows. */
  abstract toString(): string;

  static {
    baseInternals = {
      kind: (node) => node[KIND_KEY],
      setKind: (cls, kind) => {
        Object.defineProperty(cls.prototype, KIND_KEY, { value: kind });
      },
      setParent: (node, parent) => {
        node.#parent = parent;
      },
      shownBy: (node) => node.#shownBy,
      setShownBy: (node, sink) => {
        node.#shownBy = sink;
      },
      attached: (node) => node.#attached,
      setAttached: (node, sink) => {
        node.#attached = sink;
      },
    };
  }
}
