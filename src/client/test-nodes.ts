/**
 * Short builders for serialized nodes, for the client's tests (not part of the bundle:
 * only *.test.ts files import it).
 */
import {
  NODE_TYPE,
  type EventMap,
  type NodeId,
  type SerializedElement,
  type SerializedNode,
  type SerializedRawHtml,
  type SerializedText,
  type WidgetSpec,
} from '../protocol/nodes.js';

export function el(
  id: NodeId,
  tagName: string,
  attributes: Record<string, string> = {},
  children: SerializedNode[] = [],
  events?: EventMap,
  widget?: WidgetSpec,
): SerializedElement {
  const node: SerializedElement = [NODE_TYPE.ELEMENT, id, tagName, attributes, children];
  if (events || widget) node.push(events ?? {});
  if (widget) node.push(widget);
  return node;
}

export function text(id: NodeId, value: string): SerializedText {
  return [NODE_TYPE.TEXT, id, value];
}

export function raw(id: NodeId, html: string): SerializedRawHtml {
  return [NODE_TYPE.RAW_HTML, id, html];
}
