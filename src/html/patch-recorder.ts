/**
 * PatchRecorder: records the mutations of one shown tree as protocol patches (SPEC §2.3).
 * It does not send them: the view runtime calls `flush()` on show() and after each input
 * event and sends the batch to every connection of the view.
 *
 * How it learns about mutations: every node has a `shownBy` slot naming the recorder whose
 * client has it (set when the node is serialized for that client). Mutations of such a node
 * report to that recorder; nodes no client has cost one null check. The recorder keeps:
 * - content changes (text, attribute, class, id, style, events, widget) as one entry per
 *   (node, key): later writes supersede earlier ones, and an entry whose final value is
 *   the one the client has is dropped;
 * - for each changed child list, a copy of the list as the client has it; the structural
 *   patches are worked out at flush (structure-flush.ts), where new subtrees are
 *   serialized once with their final state;
 * - for each widget node, a JSON copy of the data the client has, diffed at flush.
 *
 * Patches made by a form node applying a browser change carry that change's origin (see
 * origin.ts), so the runtime can skip echoing them to the tab that sent it.
 */
import { LonaError } from '../errors.js';
import type { SerializedNode } from '../protocol/nodes.js';
import { PATCH_OP, type Patch } from '../protocol/patches.js';
import { KIND, baseInternals, type BaseNode } from './base-node.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import { currentOrigin } from './origin.js';
import type { ParentNode } from './parent-node.js';
import type { PatchSink } from './patch-sink.js';
import { serializeNode, type SerializeHooks } from './serialize.js';
import { flushStructure } from './structure-flush.js';
import { diffWidgetData } from './widget-diff.js';
import { toJson } from './widget-json.js';

/** One ordered batch; `origins[i]` tags `patches[i]` (null when no patch has an origin). */
export interface PatchBatch {
  patches: Patch[];
  origins: (object | undefined)[] | null;
}

type ContentKind = 'text' | 'attr' | 'class' | 'id' | 'style' | 'events' | 'widget';
interface ContentEntry {
  kind: ContentKind;
  node: BaseNode;
  name: string;
  /** The value the client has (at the first change in this batch). */
  before: string | boolean | null;
  after: string | boolean | null;
  origin: object | undefined;
  /** Some write came from a browser tab, whose input may differ from `before`. */
  fromClient: boolean;
}
interface WidgetSnapshot {
  data: unknown;
  json: string;
}

const { shownBy, setShownBy, attached, setAttached, kind } = baseInternals;

export class PatchRecorder implements PatchSink {
  readonly root: BaseNode;
  #live = true;
  // Every shown view has a recorder, and most shown trees sit idle: the maps below are
  // null until their first entry, and the per-batch ones (#content, #childLists, #depths)
  // go back to null when a flush has used them.
  #content: Map<string, ContentEntry> | null = null;
  #childLists: Map<ParentNode, readonly BaseNode[]> | null = null;
  #knownMoved = false;
  #widgets: Map<Node, WidgetSnapshot> | null = null;
  #depths: Map<BaseNode, number> | null = null;
  // One hooks object for every inserted subtree (made by the first insert): appending
  // 1,000 nodes makes 1,000 INSERTs, and fresh closures for each would double the garbage
  // of a flush. #skipped is the list of the flush being serialized.
  #skipped: BaseNode[] | null = null;
  #insertHooks: SerializeHooks | null = null;

  /**
   * Attaches to `root`, counting the tree as it is now as what the client has (send it with
   * `serializeTree()` or `serializeNode(root)` before the next mutation). Throws
   * LONA_ERR_HTML_SHOWN_ELSEWHERE when `root` or an ancestor is attached to a live recorder.
   */
  constructor(root: BaseNode) {
    for (let node: BaseNode | null = root; node !== null; node = node.parent) {
      if (attached(node)?.isLive === true) throw new LonaError('LONA_ERR_HTML_SHOWN_ELSEWHERE');
    }
    this.root = root;
    setAttached(root, this);
    this.#adopt(root);
  }

  get isLive(): boolean {
    return this.#live;
  }

  /**
   * The whole tree as it is now, for a client that starts from scratch (what
   * `serializeNode(root)` gives, with this recorder's bookkeeping). Attaching already counts
   * the tree as sent, so the runtime may equally send `serializeNode(root)` right after
   * `new PatchRecorder(root)`. For a connection that needs a resync, call it right after
   * `flush()`: with changes pending it throws LONA_ERR_HTML_RECORDER_PENDING, because that
   * client would get them twice.
   */
  serializeTree(): SerializedNode {
    if ((this.#content?.size ?? 0) > 0 || (this.#childLists?.size ?? 0) > 0) {
      throw new LonaError('LONA_ERR_HTML_RECORDER_PENDING');
    }
    return serializeNode(this.root);
  }

  /** The patches recorded since the last flush, in order, and forgets them. */
  flush(): PatchBatch {
    const patches: Patch[] = [];
    let origins: (object | undefined)[] | null = null;
    const push = (patch: Patch, origin?: object): void => {
      if (origin !== undefined && origins === null)
        origins = new Array(patches.length).fill(undefined);
      patches.push(patch);
      origins?.push(origin);
    };
    this.#depths = null; // depths memoized by an earlier flush that threw are stale
    const content = this.#content;
    const childLists = this.#childLists;
    for (const entry of content?.values() ?? []) {
      if (shownBy(entry.node) === this && this.#depth(entry.node) >= 0)
        this.#emitContent(entry, push);
    }
    if (childLists !== null && childLists.size > 0) {
      flushStructure(
        {
          isKept: (node) => shownBy(node) === this && this.#depth(node) >= 0,
          isShown: (node) => shownBy(node) === this,
          depth: (node) => this.#depth(node),
          serializeNew: (node, skipped) => this.#serializeNew(node, skipped),
          push,
        },
        childLists,
        this.#knownMoved,
      );
      for (const before of childLists.values()) {
        for (const node of before) if (this.#depth(node) < 0) this.#forget(node);
      }
    }
    this.#flushWidgets(push);
    this.#content = null;
    this.#childLists = null;
    this.#depths = null;
    this.#knownMoved = false;
    return { patches, origins };
  }

  /** Stops recording and releases the root (idempotent). */
  detach(): void {
    if (!this.#live) return;
    this.#live = false;
    if (attached(this.root) === this) setAttached(this.root, null);
    this.#forget(this.root);
    for (const before of this.#childLists?.values() ?? []) {
      for (const node of before) this.#forget(node);
    }
    this.#content = null;
    this.#childLists = null;
    this.#widgets = null;
  }

  // PatchSink: called by nodes whose shownBy is this recorder.

  recordText(node: BaseNode, before: string, after: string): void {
    this.#record('text', node, '', before, after);
  }

  recordAttribute(node: BaseNode, name: string, before: string | null, after: string | null): void {
    this.#record('attr', node, name, before, after);
  }

  recordToken(node: BaseNode, list: 'id' | 'class', token: string, present: boolean): void {
    this.#record(list, node, token, !present, present);
  }

  recordStyle(node: BaseNode, name: string, before: string | null, after: string | null): void {
    this.#record('style', node, name, before, after);
  }

  recordEvents(node: BaseNode, before: string): void {
    this.#record('events', node, '', before, null);
  }

  recordWidget(node: BaseNode): void {
    this.#record('widget', node, '', null, null);
  }

  recordChildList(parent: ParentNode): void {
    if (!this.#live) return;
    const childLists = (this.#childLists ??= new Map());
    if (!childLists.has(parent)) childLists.set(parent, internals.children(parent).slice());
  }

  recordKnownMoved(): void {
    this.#knownMoved = true;
  }

  #record(
    kind: ContentKind,
    node: BaseNode,
    name: string,
    before: string | boolean | null,
    after: string | boolean | null,
  ): void {
    if (!this.#live) return;
    const key = node.nodeId + '\u0000' + kind + '\u0000' + name;
    const origin = currentOrigin();
    const content = (this.#content ??= new Map());
    const entry = content.get(key);
    if (entry === undefined) {
      content.set(key, {
        kind,
        node,
        name,
        before,
        after,
        origin,
        fromClient: origin !== undefined,
      });
    } else {
      entry.after = after;
      entry.origin = origin;
      if (origin !== undefined) entry.fromClient = true;
    }
  }

  #emitContent(entry: ContentEntry, push: (patch: Patch, origin?: object) => void): void {
    const { node, name, after } = entry;
    const id = node.nodeId;
    if (entry.kind === 'widget') return this.#emitWidget(node as Node, push);
    if (entry.kind === 'events') {
      const map = internals.events(node as Node) ?? {};
      if (entry.fromClient || JSON.stringify(map) !== entry.before)
        push([PATCH_OP.SET_EVENTS, id, map]);
      return;
    }
    if (after === entry.before && !entry.fromClient) return;
    let patch: Patch;
    switch (entry.kind) {
      case 'text':
        patch = [PATCH_OP.SET_TEXT, id, after as string];
        break;
      case 'attr':
        patch =
          after === null
            ? [PATCH_OP.REMOVE_ATTRIBUTE, id, name]
            : [PATCH_OP.SET_ATTRIBUTE, id, name, after as string];
        break;
      case 'style':
        patch =
          after === null
            ? [PATCH_OP.REMOVE_STYLE, id, name]
            : [PATCH_OP.SET_STYLE, id, name, after as string];
        break;
      case 'class':
        patch = [after === true ? PATCH_OP.ADD_CLASS : PATCH_OP.REMOVE_CLASS, id, name];
        break;
      default:
        patch = [after === true ? PATCH_OP.ADD_ID : PATCH_OP.REMOVE_ID, id, name];
    }
    push(patch, entry.origin);
  }

  #emitWidget(node: Node, push: (patch: Patch) => void): void {
    const widget = node.widget;
    if (widget === null) {
      this.#widgets?.delete(node);
      push([PATCH_OP.SET_WIDGET, node.nodeId, null]);
      return;
    }
    const json = toJson(node.widgetData);
    const data: unknown = JSON.parse(json);
    this.#widgetMap().set(node, { data, json });
    push([PATCH_OP.SET_WIDGET, node.nodeId, [widget, data]]);
  }

  #flushWidgets(push: (patch: Patch) => void): void {
    const widgets = this.#widgets;
    if (widgets === null) return;
    for (const [node, snapshot] of widgets) {
      if (shownBy(node) !== this || node.widget === null || this.#depth(node) < 0) {
        widgets.delete(node);
        continue;
      }
      const json = toJson(node.widgetData);
      if (json === snapshot.json) continue;
      const data: unknown = JSON.parse(json);
      const id = node.nodeId;
      for (const op of diffWidgetData(snapshot.data, data)) {
        push(
          op[0] === 'set'
            ? [PATCH_OP.SET_WIDGET_DATA, id, op[1], op[2]]
            : [PATCH_OP.DELETE_WIDGET_DATA, id, op[1]],
        );
      }
      widgets.set(node, { data, json });
    }
  }

  #widgetMap(): Map<Node, WidgetSnapshot> {
    return (this.#widgets ??= new Map());
  }

  #serializeNew(node: BaseNode, skipped: BaseNode[]): SerializedNode {
    this.#skipped = skipped;
    setShownBy(node, this);
    this.#insertHooks ??= {
      enter: (child: BaseNode): boolean => {
        if (shownBy(child) === this) {
          this.#skipped!.push(child);
          return false;
        }
        setShownBy(child, this);
        return true;
      },
      widget: (node: Node, data: unknown): void => {
        this.#widgetMap().set(node, { data, json: toJson(data) });
      },
    };
    return serializeNode(node, this.#insertHooks);
  }

  /** Depth of `node` below the root now, or -1 when it is not in the tree (memoized). */
  #depth(node: BaseNode): number {
    const depths = (this.#depths ??= new Map());
    const known = depths.get(node);
    if (known !== undefined) return known;
    const parent = node.parent;
    let depth: number;
    if (node === this.root) depth = 0;
    else if (parent === null) depth = -1;
    else {
      const parentDepth = this.#depth(parent);
      depth = parentDepth < 0 ? -1 : parentDepth + 1;
    }
    depths.set(node, depth);
    return depth;
  }

  /** The client has `node` and its subtree as they are now. */
  #adopt(node: BaseNode): void {
    setShownBy(node, this);
    const k = kind(node);
    if (k === KIND.ELEMENT) {
      const element = node as Node;
      if (element.widget !== null) {
        const json = toJson(element.widgetData);
        this.#widgetMap().set(element, { data: JSON.parse(json), json });
      }
    }
    if (k === KIND.ELEMENT || k === KIND.FRAGMENT) {
      for (const child of internals.children(node as ParentNode)) this.#adopt(child);
    }
  }

  /** The client no longer has `node` and its subtree: clear their shownBy. */
  #forget(node: BaseNode): void {
    if (shownBy(node) === this) {
      setShownBy(node, null);
      this.#widgets?.delete(node as Node);
    }
    const k = kind(node);
    if (k === KIND.ELEMENT || k === KIND.FRAGMENT) {
      for (const child of internals.children(node as ParentNode)) this.#forget(child);
    }
  }
}
