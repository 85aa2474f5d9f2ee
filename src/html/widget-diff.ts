/**
 * Diffs two JSON values (the widget data the client has, and the data now) into
 * SET_WIDGET_DATA / DELETE_WIDGET_DATA operations addressed by key paths. Wherever the
 * operations for a sub-value would be larger than the sub-value itself (an array shifted by
 * one, an object rewritten), that sub-value is set whole instead.
 *
 * DELETE on an array index means "truncate the array to that length" (arrays only ever
 * lose a tail here); on an object key it deletes the key.
 */
import type { KeyPath } from '../protocol/patches.js';

export type WidgetOp = [op: 'set', path: KeyPath, value: unknown] | [op: 'delete', path: KeyPath];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Operations that turn `before` into `after` (both plain JSON values). */
export function diffWidgetData(before: unknown, after: unknown): WidgetOp[] {
  const out: WidgetOp[] = [];
  diff(before, after, [], out);
  return out;
}

function diff(a: unknown, b: unknown, path: KeyPath, out: WidgetOp[]): void {
  if (a === b) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const ops: WidgetOp[] = [];
    const common = Math.min(a.length, b.length);
    for (let i = 0; i < common; i++) diff(a[i], b[i], [...path, i], ops);
    for (let i = common; i < b.length; i++) ops.push(['set', [...path, i], b[i]]);
    if (a.length > b.length) ops.push(['delete', [...path, b.length]]);
    choose(ops, path, b, out);
  } else if (isObject(a) && isObject(b)) {
    const ops: WidgetOp[] = [];
    for (const key of Object.keys(a)) if (!(key in b)) ops.push(['delete', [...path, key]]);
    for (const key of Object.keys(b)) {
      if (key in a) diff(a[key], b[key], [...path, key], ops);
      else ops.push(['set', [...path, key], b[key]]);
    }
    choose(ops, path, b, out);
  } else {
    out.push(['set', path, b]);
  }
}

function choose(ops: WidgetOp[], path: KeyPath, whole: unknown, out: WidgetOp[]): void {
  if (ops.length > 1 && JSON.stringify(ops).length > JSON.stringify(whole).length + 16) {
    out.push(['set', path, whole]);
  } else {
    for (const op of ops) out.push(op);
  }
}
