/**
 * One view's DOM side, with no transport and no side effects at import: it owns a root
 * element, renders whole trees into it, applies patch batches, wires input events and
 * runs widgets. The browser client (connection.ts) and the Node test client (with a DOM
 * implementation such as happy-dom) both drive it. Sequence numbers, resyncs, busy marks
 * and history are the driver's business.
 *
 * Everything is created through `root.ownerDocument`, so a DOM that is not the global one
 * works too.
 */
import { FRAGMENT_TAG, NODE_TYPE, type NodeId, type SerializedNode } from '../protocol/nodes.js';
import type { Patch } from '../protocol/patches.js';
import {
  wireInputEvents,
  type InputEventsHandle,
  type Navigate,
  type SendInput,
} from './input-events.js';
import { InputValues } from './input-values.js';
import { NodeMap } from './node-map.js';
import { applyPatches, type PatchContext } from './patch-applier.js';
import { childNamespace, renderNode } from './render.js';
import { WidgetHost, widgetRegistry, type WidgetRegistry } from './widgets.js';

export type { Navigate, SendInput } from './input-events.js';

export interface DomViewOptions {
  /** Called for every input event: the driver puts it on the wire. */
  send: SendInput;
  /** Called for in-app navigation (links, forms); without it they are left to the browser. */
  navigate?: Navigate;
  /** Errors handled by skipping something (a refused attribute, a failing widget). */
  onError?: (error: Error) => void;
  /** Where widget classes are looked up; defaults to the page's `Lona.registerWidget` registry. */
  widgets?: WidgetRegistry;
}

export class DomView {
  readonly root: Element;
  readonly map = new NodeMap();
  #values = new InputValues();
  #widgets: WidgetHost;
  #events: InputEventsHandle;
  #ctx: PatchContext;

  constructor(root: Element, options: DomViewOptions) {
    this.root = root;
    const report = options.onError ?? ((error: Error) => console.error(error));
    const widgets = new WidgetHost(
      options.widgets ?? widgetRegistry,
      (id, name, data) => options.send(name, id, id, data),
      report,
    );
    this.#widgets = widgets;
    this.map.onForget = (id) => widgets.remove(id);
    this.#ctx = {
      doc: root.ownerDocument,
      map: this.map,
      values: this.#values,
      report,
      attachWidget: (id, element, spec) => widgets.set(id, element, spec),
      setWidget: (id, element, spec) => widgets.set(id, element, spec),
      setWidgetData: (id, path, value) => widgets.setData(id, path, value),
      deleteWidgetData: (id, path) => widgets.deleteData(id, path),
    };
    this.#events = wireInputEvents({
      root,
      map: this.map,
      values: this.#values,
      send: options.send,
      navigate: options.navigate,
    });
  }

  /**
   * Replaces the root's content with a whole tree. Throws if the tree cannot be rendered
   * (the driver reports it). The focused control keeps focus and the user's value when the
   * new tree has the same node (a resync sends the same ids).
   */
  renderTree(tree: SerializedNode): void {
    const focus = this.#captureFocus();
    this.#forgetAll();
    let nodes: Node[];
    try {
      if (tree[0] === NODE_TYPE.ELEMENT && tree[2] === FRAGMENT_TAG) {
        // A shown fragment is the mount element itself: its children go straight in.
        const ns = childNamespace(this.root);
        nodes = tree[4].flatMap((child) => renderNode(child, ns, this.#ctx));
        this.map.add(tree[1], this.root);
      } else {
        nodes = renderNode(tree, childNamespace(this.root), this.#ctx);
      }
    } catch (error) {
      this.#forgetAll();
      throw error;
    }
    this.root.replaceChildren(...nodes);
    this.#widgets.flush();
    if (focus) this.#restoreFocus(focus);
  }

  /** Applies one batch in order. Throws on the first patch that cannot be applied. */
  applyPatches(patches: readonly Patch[]): void {
    try {
      applyPatches(patches, this.#ctx);
    } finally {
      this.#widgets.flush();
    }
  }

  /** The DOM node of a node id (the first DOM node of a RawHtml). */
  getNode(id: NodeId): Node | undefined {
    return this.map.get(id);
  }

  /** The node id a DOM node stands for. */
  nodeIdOf(node: Node): NodeId | undefined {
    return this.map.idOf(node);
  }

  /** Sends every debounced change now. */
  flushPending(): void {
    this.#events.flushPending();
  }

  /** Empties the root and forgets the tree (widgets are destroyed). */
  clear(): void {
    this.#forgetAll();
    this.root.replaceChildren();
  }

  /** Stops listening and destroys widgets; the DOM is left as it is. */
  destroy(): void {
    this.#events.destroy();
    this.#forgetAll();
  }

  #forgetAll(): void {
    this.map.clear();
    this.#widgets.clear();
    this.#values.clear();
  }

  #captureFocus(): FocusState | null {
    const active = this.root.ownerDocument.activeElement as HTMLInputElement | null;
    const id = active && this.root.contains(active) ? this.map.idOf(active) : undefined;
    if (!active || id === undefined) return null;
    let start: number | null = null;
    try {
      start = active.selectionStart ?? null;
    } catch {
      // Some controls throw instead of answering null.
    }
    return { id, tag: active.nodeName, value: active.value, start };
  }

  #restoreFocus({ id, tag, value, start }: FocusState): void {
    const element = this.map.get(id) as HTMLInputElement | undefined;
    if (!element || element.nodeName !== tag) return;
    element.focus();
    // Only a text control (one with a caret) holds typing the server has not seen yet.
    if (start === null || typeof value !== 'string') return;
    try {
      if (element.value !== value) element.value = value;
      element.setSelectionRange(start, start);
    } catch {
      // The new node is not a text control after all.
    }
  }
}

interface FocusState {
  id: NodeId;
  tag: string;
  value: unknown;
  start: number | null;
}
