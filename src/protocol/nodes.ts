/**
 * The wire form of a node tree: how a full tree (and an inserted subtree) travels from the
 * server's html/ tree to the browser client. Pure data, no Node or DOM imports; the server
 * (html/serialize) builds these tuples and client/ and testing/ read them.
 *
 * Every node carries a `NodeId`, a short string unique within the server process, so that
 * patches can address nodes without paths and the client can keep a map id → DOM node.
 */

export type NodeId = string;

/** First element of every serialized node tuple. */
export const NODE_TYPE = {
  TEXT: 0,
  ELEMENT: 1,
  /** Trusted markup (RawHtml): rendered by the client from an HTML string. */
  RAW_HTML: 2,
} as const;
export type NodeType = (typeof NODE_TYPE)[keyof typeof NODE_TYPE];

/**
 * Declared input events of an element: event name → debounce in ms (0 = send at once).
 * Names: 'click' | 'change' | 'focus' | 'blur' | 'submit' or a custom name.
 */
export type EventMap = Record<string, number>;

/** [name of a class registered with Lona.registerWidget, JSON data]. */
export type WidgetSpec = [name: string, data: unknown];

export type SerializedText = [type: typeof NODE_TYPE.TEXT, id: NodeId, text: string];
export type SerializedRawHtml = [type: typeof NODE_TYPE.RAW_HTML, id: NodeId, html: string];

/**
 * An element. `attributes` holds every attribute as it appears in HTML, including `id`
 * (the idList joined by spaces), `class` (the classList joined) and `style` (the style
 * map as `a: b; c: d`); absent when empty. Boolean attributes that are set carry `''`.
 * The trailing fields are left out when empty, so the common case stays short.
 * Namespaces are not sent: the client derives them as the HTML parser does (`svg` and
 * `math` start their namespace, `foreignObject` children return to HTML).
 */
export type SerializedElement = [
  type: typeof NODE_TYPE.ELEMENT,
  id: NodeId,
  tagName: string,
  attributes: Record<string, string>,
  children: SerializedNode[],
  events?: EventMap,
  widget?: WidgetSpec,
];

export type SerializedNode = SerializedText | SerializedElement | SerializedRawHtml;

/**
 * The tag name of a shown `HTML` fragment root: an element tuple with this tag stands for
 * the client's mount element itself, and its children are rendered straight into it.
 */
export const FRAGMENT_TAG = '';
