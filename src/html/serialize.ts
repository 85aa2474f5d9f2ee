/**
 * Turns a node tree into its wire form (protocol/nodes.ts): one tuple per node, built in
 * one walk. Element attributes include `id`, `class` and `style` as their HTML strings;
 * events and widget are left out when empty. A fragment root is an element tuple with the
 * tag FRAGMENT_TAG (''). The recorder passes hooks to learn which nodes it sent and to
 * leave out nodes the client already has; plain callers pass none.
 */
import {
  FRAGMENT_TAG,
  NODE_TYPE,
  type SerializedElement,
  type SerializedNode,
} from '../protocol/nodes.js';
import { KIND, baseInternals, type BaseNode } from './base-node.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';
import type { RawHtml } from './raw-html.js';
import { styleText } from './style-map.js';
import type { TextNode } from './text-node.js';
import { cloneJson } from './widget-json.js';

/** Tag name of a serialized HTML fragment root. */
export { FRAGMENT_TAG };

export interface SerializeHooks {
  /** Called before each node is serialized; returning false leaves it (and its subtree) out. */
  enter(node: BaseNode): boolean;
  /** Receives the copy of a widget's data that went into the tuple. */
  widget?(node: Node, data: unknown): void;
}

const { kind } = baseInternals;

export function serializeNode(node: BaseNode, hooks?: SerializeHooks): SerializedNode {
  switch (kind(node)) {
    case KIND.TEXT:
      return [NODE_TYPE.TEXT, node.nodeId, (node as TextNode).text];
    case KIND.RAW_HTML:
      return [NODE_TYPE.RAW_HTML, node.nodeId, (node as RawHtml).html];
    case KIND.FRAGMENT:
      return [
        NODE_TYPE.ELEMENT,
        node.nodeId,
        FRAGMENT_TAG,
        {},
        children(node as ParentNode, hooks),
      ];
    default:
      return element(node as Node, hooks);
  }
}

function children(node: ParentNode, hooks: SerializeHooks | undefined): SerializedNode[] {
  const out: SerializedNode[] = [];
  for (const child of internals.children(node)) {
    if (hooks === undefined || hooks.enter(child)) out.push(serializeNode(child, hooks));
  }
  return out;
}

function element(node: Node, hooks: SerializeHooks | undefined): SerializedElement {
  const attributes: Record<string, string> = {};
  const ids = internals.tokenText(node, 'id');
  if (ids !== '') attributes.id = ids;
  const classes = internals.tokenText(node, 'class');
  if (classes !== '') attributes.class = classes;
  const style = internals.style(node);
  if (style !== null && style.size > 0) attributes.style = styleText(style);
  const attrs = internals.attributes(node);
  if (attrs !== null) for (const [name, value] of attrs) attributes[name] = value;
  const tuple: SerializedElement = [
    NODE_TYPE.ELEMENT,
    node.nodeId,
    node.tagName,
    attributes,
    children(node, hooks),
  ];
  const events = internals.events(node);
  const widget = node.widget;
  if (events !== null || widget !== null) tuple.push(events ?? {});
  if (widget !== null) {
    const data = cloneJson(node.widgetData);
    hooks?.widget?.(node, data);
    tuple.push([widget, data]);
  }
  return tuple;
}
