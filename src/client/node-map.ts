/**
 * The client's index of the shown tree: node id → DOM node, DOM node → node id, the DOM
 * nodes a RawHtml expanded to, and each element's declared events. It creates no DOM and
 * applies no patches (render.ts and patch-applier.ts do); it only answers lookups and
 * forgets removed subtrees, telling the widget host which widget roots went away.
 */
import type { EventMap, NodeId } from '../protocol/nodes.js';

export class NodeMap {
  /** Element and text nodes by id. */
  #nodes = new Map<NodeId, Node>();
  /** RawHtml id → the top-level DOM nodes its markup became (never empty). */
  #raw = new Map<NodeId, Node[]>();
  /** DOM node → id; a RawHtml's top-level nodes map to the RawHtml's id. */
  #ids = new WeakMap<Node, NodeId>();
  #events = new Map<NodeId, EventMap>();

  /** Called with the id of every element forgotten (so widgets can be destroyed). */
  onForget: (id: NodeId) => void = () => {};

  add(id: NodeId, node: Node): void {
    this.#checkFree(id);
    this.#nodes.set(id, node);
    this.#ids.set(node, id);
  }

  addRaw(id: NodeId, nodes: Node[]): void {
    this.#checkFree(id);
    this.setRaw(id, nodes);
  }

  /** Replaces a RawHtml's DOM nodes (its markup changed). */
  setRaw(id: NodeId, nodes: Node[]): void {
    this.#raw.set(id, nodes);
    for (const node of nodes) this.#ids.set(node, id);
  }

  isRaw(id: NodeId): boolean {
    return this.#raw.has(id);
  }

  /** The id of a DOM node that stands for a server node, if any. */
  idOf(node: Node): NodeId | undefined {
    return this.#ids.get(node);
  }

  /** Every DOM node that stands for `id`, in document order. Throws on an unknown id. */
  domNodes(id: NodeId): Node[] {
    const node = this.#nodes.get(id);
    if (node) return [node];
    const raw = this.#raw.get(id);
    if (raw) return raw;
    throw unknownId(id);
  }

  /** The node of a TextNode or an element. Throws on an unknown id. */
  node(id: NodeId): Node {
    const node = this.#nodes.get(id);
    if (!node) throw unknownId(id);
    return node;
  }

  element(id: NodeId): Element {
    const node = this.node(id);
    if (node.nodeType !== 1) throw new Error(`Node id '${id}' is not an element`);
    return node as Element;
  }

  get(id: NodeId): Node | undefined {
    return this.#nodes.get(id) ?? this.#raw.get(id)?.[0];
  }

  events(id: NodeId): EventMap | undefined {
    return this.#events.get(id);
  }

  setEvents(id: NodeId, events: EventMap | undefined): void {
    if (events && Object.keys(events).length > 0) this.#events.set(id, events);
    else this.#events.delete(id);
  }

  /** Forgets `node` and everything below it (it is being removed from the view). */
  forget(node: Node): void {
    const id = this.#ids.get(node);
    if (id !== undefined) {
      if (this.#raw.has(id)) {
        // The inside of trusted markup carries no ids: no need to walk it.
        this.#raw.delete(id);
        return;
      }
      if (this.#nodes.get(id) === node) {
        this.#nodes.delete(id);
        this.#events.delete(id);
        if (node.nodeType === 1) this.onForget(id);
      }
    }
    for (let child = node.firstChild; child; child = child.nextSibling) this.forget(child);
  }

  clear(): void {
    for (const id of this.#nodes.keys()) this.onForget(id);
    this.#nodes.clear();
    this.#raw.clear();
    this.#events.clear();
  }

  #checkFree(id: NodeId): void {
    if (this.#nodes.has(id) || this.#raw.has(id)) throw new Error(`Duplicate node id '${id}'`);
  }
}

export function unknownId(id: NodeId): Error {
  return new Error(`Unknown node id '${id}'`);
}
