/** Reading serialized node tuples (protocol/nodes.ts) in tests. */
import { NODE_TYPE, type SerializedNode } from '../../src/protocol/nodes.js';

/** The node id of the element whose HTML id is `htmlId`. */
export function nodeIdOf(node: unknown, htmlId: string): string | undefined {
  const tuple = node as SerializedNode;
  if (tuple[0] !== NODE_TYPE.ELEMENT) return undefined;
  if (tuple[3].id === htmlId) return tuple[1];
  for (const child of tuple[4]) {
    const found = nodeIdOf(child, htmlId);
    if (found) return found;
  }
  return undefined;
}

/** All text under a node, in order. */
export function textOf(node: unknown): string {
  const tuple = node as SerializedNode;
  if (tuple[0] === NODE_TYPE.TEXT) return tuple[2];
  if (tuple[0] === NODE_TYPE.ELEMENT) return tuple[4].map(textOf).join('');
  return '';
}

/** The text of the element whose HTML id is `htmlId`. */
export function textById(node: unknown, htmlId: string): string | undefined {
  const tuple = node as SerializedNode;
  if (tuple[0] !== NODE_TYPE.ELEMENT) return undefined;
  if (tuple[3].id === htmlId) return textOf(tuple);
  for (const child of tuple[4]) {
    const found = textById(child, htmlId);
    if (found !== undefined) return found;
  }
  return undefined;
}
