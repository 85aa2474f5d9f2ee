/**
 * JSON helpers for widget data: the check that data is JSON, copies that cannot alias the
 * user's live objects, and comparison. Used by Node (check on assignment), serialize and
 * the recorder (snapshots of what the client has).
 */
import { LonaError } from '../errors.js';

/** JSON text of `data` (`undefined` counts as null); throws LONA_ERR_HTML_BAD_WIDGET_DATA. */
export function toJson(data: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    throw new LonaError('LONA_ERR_HTML_BAD_WIDGET_DATA', { reason: (error as Error).message });
  }
  return text ?? 'null';
}

/** A deep copy through JSON: what the client will see. */
export function cloneJson(data: unknown): unknown {
  return data === null || typeof data !== 'object' ? (data ?? null) : JSON.parse(toJson(data));
}

export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || toJson(a) === toJson(b);
}
