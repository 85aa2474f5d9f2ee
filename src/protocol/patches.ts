/**
 * Patch operations: the only place their wire codes are named (STYLE rule 2). The server's
 * patch recorder (html/patch-recorder.ts) produces them; the browser client
 * (client/patch-applier.ts) and the test client apply them.
 *
 * Patches address nodes by `NodeId` and insert before a sibling id (or at the end with
 * null), never by index, so a client never has to count DOM children (RawHtml can expand
 * to several DOM nodes). A batch is an ordered array of patches; applying it in order
 * turns the previous tree into the current one.
 */
import type { EventMap, NodeId, SerializedNode, WidgetSpec } from './nodes.js';

export const PATCH_OP = {
  /** [op, textNodeId, text] — a TextNode's text (also a RawHtml's markup). */
  SET_TEXT: 'text',
  /** [op, parentId, beforeId | null, node] — insert a new subtree. */
  INSERT: 'ins',
  /** [op, nodeId] — remove a node and its subtree. */
  REMOVE: 'rm',
  /** [op, nodeId, parentId, beforeId | null] — move a node that is already in the tree. */
  MOVE: 'mv',
  /** [op, parentId] — remove every child. */
  CLEAR: 'clr',
  /** [op, nodeId, name, value] — set an attribute (strings only; '' for boolean true). */
  SET_ATTRIBUTE: 'attr',
  /** [op, nodeId, name] — remove an attribute (also a boolean attribute set to false). */
  REMOVE_ATTRIBUTE: 'rmattr',
  /** [op, nodeId, className] */
  ADD_CLASS: 'cls+',
  /** [op, nodeId, className] */
  REMOVE_CLASS: 'cls-',
  /** [op, nodeId, id] — idList add. */
  ADD_ID: 'id+',
  /** [op, nodeId, id] — idList remove. */
  REMOVE_ID: 'id-',
  /** [op, nodeId, property, value] — one style property (custom properties included). */
  SET_STYLE: 'sty',
  /** [op, nodeId, property] */
  REMOVE_STYLE: 'rmsty',
  /** [op, nodeId, events] — the element's declared events, replaced whole. */
  SET_EVENTS: 'ev',
  /** [op, nodeId, widget | null] — attach, replace or detach a widget with its data. */
  SET_WIDGET: 'wdg',
  /** [op, nodeId, keyPath, value] — set one value inside the widget data. */
  SET_WIDGET_DATA: 'wd',
  /** [op, nodeId, keyPath] — delete one key (or array tail) inside the widget data. */
  DELETE_WIDGET_DATA: 'wd-',
} as const;
export type PatchOp = (typeof PATCH_OP)[keyof typeof PATCH_OP];

/** A path into widget data: object keys and array indexes. `[]` is the whole value. */
export type KeyPath = (string | number)[];

export type Patch =
  | [typeof PATCH_OP.SET_TEXT, NodeId, string]
  | [typeof PATCH_OP.INSERT, NodeId, NodeId | null, SerializedNode]
  | [typeof PATCH_OP.REMOVE, NodeId]
  | [typeof PATCH_OP.MOVE, NodeId, NodeId, NodeId | null]
  | [typeof PATCH_OP.CLEAR, NodeId]
  | [typeof PATCH_OP.SET_ATTRIBUTE, NodeId, string, string]
  | [typeof PATCH_OP.REMOVE_ATTRIBUTE, NodeId, string]
  | [typeof PATCH_OP.ADD_CLASS, NodeId, string]
  | [typeof PATCH_OP.REMOVE_CLASS, NodeId, string]
  | [typeof PATCH_OP.ADD_ID, NodeId, string]
  | [typeof PATCH_OP.REMOVE_ID, NodeId, string]
  | [typeof PATCH_OP.SET_STYLE, NodeId, string, string]
  | [typeof PATCH_OP.REMOVE_STYLE, NodeId, string]
  | [typeof PATCH_OP.SET_EVENTS, NodeId, EventMap]
  | [typeof PATCH_OP.SET_WIDGET, NodeId, WidgetSpec | null]
  | [typeof PATCH_OP.SET_WIDGET_DATA, NodeId, KeyPath, unknown]
  | [typeof PATCH_OP.DELETE_WIDGET_DATA, NodeId, KeyPath];
