/**
 * Parses and validates client frames (SPEC §7, §8) before anything else looks at them:
 * JSON text only, a known kind, the right types per field, no `__proto__` /
 * `constructor` / `prototype` keys anywhere, custom data of at most 64 KiB and depth 32.
 * Returns a typed message or the reason it was refused; it never throws. What a valid
 * message means is server/connection.ts's business.
 */
import {
  CUSTOM_EVENT_NAME_RE,
  MAX_CUSTOM_EVENT_DATA_BYTES,
  MAX_CUSTOM_EVENT_DATA_DEPTH,
} from '../protocol/events.js';
import { MESSAGE } from '../protocol/messages.js';

export type ClientMessage =
  | {
      kind: typeof MESSAGE.VIEW_START;
      url: string;
      method: 'GET' | 'POST';
      post: Record<string, string | string[]>;
    }
  | { kind: typeof MESSAGE.VIEW_STOP; viewId: string }
  | {
      kind: typeof MESSAGE.INPUT_EVENT;
      viewId: string;
      eventId: number;
      name: string;
      nodeId: string;
      targetNodeId: string | null;
      data: unknown;
    }
  | { kind: typeof MESSAGE.RESYNC; viewId: string; lastSeq: number }
  | { kind: typeof MESSAGE.CLIENT_ERROR; viewId: string | null; message: string; details: unknown }
  | { kind: typeof MESSAGE.PING; nonce: unknown }
  | { kind: typeof MESSAGE.CUSTOM; viewId: string | null; data: unknown };

export type ValidationResult = { ok: true; message: ClientMessage } | { ok: false; reason: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_ID_LENGTH = 64;
const MAX_URL_LENGTH = 8 * 1024;

class Refused extends Error {}

function refuse(reason: string): never {
  throw new Refused(reason);
}

const isId = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;

function rejectForbiddenKeys(key: string, value: unknown): unknown {
  if (FORBIDDEN_KEYS.has(key)) refuse(`forbidden key '${key}'`);
  return value;
}

/** Depth of a JSON value (a scalar is 0); stops counting past `limit`. */
function depthOf(value: unknown, limit: number, depth = 0): number {
  if (depth > limit || value === null || typeof value !== 'object') return depth;
  let max = depth;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    max = Math.max(max, depthOf(child, limit, depth + 1));
    if (max > limit) break;
  }
  return max;
}

function checkData(data: unknown, rawLength: number): void {
  if (
    rawLength > MAX_CUSTOM_EVENT_DATA_BYTES &&
    JSON.stringify(data).length > MAX_CUSTOM_EVENT_DATA_BYTES
  ) {
    refuse(`event data over ${MAX_CUSTOM_EVENT_DATA_BYTES} bytes`);
  }
  if (depthOf(data, MAX_CUSTOM_EVENT_DATA_DEPTH) > MAX_CUSTOM_EVENT_DATA_DEPTH) {
    refuse(`event data nested deeper than ${MAX_CUSTOM_EVENT_DATA_DEPTH}`);
  }
}

function checkForm(value: unknown): Record<string, string | string[]> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) refuse('post data must be an object');
  const form: Record<string, string | string[]> = Object.create(null);
  for (const [key, field] of Object.entries(value as object)) {
    if (typeof field === 'string') form[key] = field;
    else if (Array.isArray(field) && field.every((item) => typeof item === 'string'))
      form[key] = field;
    else refuse(`post field '${key}' must be a string or an array of strings`);
  }
  return form;
}

export function parseClientMessage(raw: string): ValidationResult {
  try {
    let frame: unknown;
    try {
      frame = JSON.parse(raw, rejectForbiddenKeys);
    } catch (error) {
      if (error instanceof Refused) throw error;
      refuse('not JSON');
    }
    if (!Array.isArray(frame) || typeof frame[0] !== 'string')
      refuse('a frame is an array starting with its kind');
    return { ok: true, message: toMessage(frame, raw.length) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    return { ok: false, reason: `unexpected: ${String(error)}` };
  }
}

function toMessage(frame: unknown[], rawLength: number): ClientMessage {
  const kind = frame[0];
  switch (kind) {
    case MESSAGE.VIEW_START: {
      const [, url, method = 'GET', post] = frame;
      if (typeof url !== 'string' || url.length === 0 || url.length > MAX_URL_LENGTH)
        refuse('start needs a URL');
      if (method !== 'GET' && method !== 'POST') refuse("start method must be 'GET' or 'POST'");
      return { kind, url, method, post: checkForm(post) };
    }
    case MESSAGE.VIEW_STOP: {
      if (!isId(frame[1])) refuse('stop needs a view id');
      return { kind, viewId: frame[1] };
    }
    case MESSAGE.INPUT_EVENT: {
      const [, viewId, eventId, name, nodeId, targetNodeId = null, data = null] = frame;
      if (!isId(viewId)) refuse('event needs a view id');
      if (typeof eventId !== 'number' || !Number.isSafeInteger(eventId) || eventId < 0)
        refuse('event id must be an integer ≥ 0');
      if (typeof name !== 'string' || !CUSTOM_EVENT_NAME_RE.test(name)) refuse('bad event name');
      if (!isId(nodeId)) refuse('event needs a node id');
      if (targetNodeId !== null && !isId(targetNodeId)) refuse('bad target node id');
      checkData(data, rawLength);
      return { kind, viewId, eventId, name, nodeId, targetNodeId, data };
    }
    case MESSAGE.RESYNC: {
      const [, viewId, lastSeq] = frame;
      if (!isId(viewId)) refuse('resync needs a view id');
      if (typeof lastSeq !== 'number' || !Number.isSafeInteger(lastSeq))
        refuse('resync needs the last sequence number');
      return { kind, viewId, lastSeq };
    }
    case MESSAGE.CLIENT_ERROR: {
      const [, viewId = null, message, details = null] = frame;
      if (viewId !== null && !isId(viewId)) refuse('bad view id');
      if (typeof message !== 'string') refuse('client error needs a message');
      return { kind, viewId, message: message.slice(0, 4096), details };
    }
    case MESSAGE.PING:
      return {
        kind,
        nonce: typeof frame[1] === 'number' || typeof frame[1] === 'string' ? frame[1] : null,
      };
    case MESSAGE.CUSTOM: {
      const [, viewId = null, data = null] = frame;
      if (viewId !== null && !isId(viewId)) refuse('bad view id');
      checkData(data, rawLength);
      return { kind, viewId, data };
    }
    default:
      refuse(`unknown kind '${String(kind).slice(0, 32)}'`);
  }
}
