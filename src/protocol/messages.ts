/**
 * Message kinds of the lona-ts WebSocket protocol (SPEC §7, docs/protocol.md): the only
 * place they are named. Every frame is a JSON text frame holding an array whose first
 * element is the kind. The server validates every frame on receipt (server/) and the
 * client ignores frames for a view id other than its current one.
 */
import type { NodeId, SerializedNode } from './nodes.js';
import type { Patch } from './patches.js';

/** Bumped on any incompatible change; the client reloads once on a mismatch (close 4000). */
export const PROTOCOL_VERSION = 1;

/** The fixed WebSocket path; the version travels as `?v=`. */
export const WEBSOCKET_PATH = '/_lona/ws';

export const MESSAGE = {
  // client → server
  /** [kind, url, method?, post?] — start the view for a URL (navigation or first load). */
  VIEW_START: 'start',
  /** [kind, viewId] — the tab leaves this view. */
  VIEW_STOP: 'stop',
  /** [kind, viewId, eventId, name, nodeId, targetNodeId | null, data] */
  INPUT_EVENT: 'event',
  /** [kind, viewId, lastSeq] — the client lost sync; send the full tree. */
  RESYNC: 'resync',
  /** [kind, viewId | null, message, details?] — a render or patch error in the client. */
  CLIENT_ERROR: 'cerr',
  /** [kind, nonce] */
  PING: 'ping',
  /** [kind, viewId | null, data] — a custom message, both ways. */
  CUSTOM: 'msg',

  // server → client
  /** [kind, viewId, url] — the view for a start has an id now. */
  VIEW_STARTED: 'started',
  /** [kind, viewId, seq, tree, title?] — a whole tree. */
  TREE: 'tree',
  /** [kind, viewId, seq, patches] — one ordered batch. */
  PATCHES: 'patch',
  /** [kind, viewId, title] */
  TITLE: 'title',
  /** [kind, viewId, eventId] — the event was received. */
  ACK: 'ack',
  /** [kind, viewId, eventId, seq, code?] — the handler chain ran and its patches were flushed. */
  DONE: 'done',
  /** [kind, viewId | null, url] — navigate inside the app (no reload). */
  REDIRECT: 'redirect',
  /** [kind, viewId | null, url] — full navigation (page load). */
  HTTP_REDIRECT: 'http-redirect',
  /** [kind, nonce] */
  PONG: 'pong',
  /** [kind, viewId, retryAfterMs] — waiting for a slot / server busy. */
  BUSY: 'busy',
} as const;
export type MessageKind = (typeof MESSAGE)[keyof typeof MESSAGE];

/** WebSocket close codes (SPEC §7). */
export const CLOSE_CODE = {
  NORMAL: 1000,
  POLICY: 1008,
  TOO_BIG: 1009,
  SERVER_ERROR: 1011,
  SERVER_RESTART: 1012,
  TRY_LATER: 1013,
  VERSION_MISMATCH: 4000,
  NO_SESSION: 4001,
  INPUT_FLOOD: 4002,
} as const;

export type InputEventMessage = [
  kind: typeof MESSAGE.INPUT_EVENT,
  viewId: string,
  eventId: number,
  name: string,
  nodeId: NodeId,
  targetNodeId: NodeId | null,
  data: unknown,
];
export type TreeMessage = [
  kind: typeof MESSAGE.TREE,
  viewId: string,
  seq: number,
  tree: SerializedNode,
  title?: string,
];
export type PatchesMessage = [
  kind: typeof MESSAGE.PATCHES,
  viewId: string,
  seq: number,
  patches: Patch[],
];
