/**
 * Finding an element of a tree by its nodeId: how the view runtime turns the node id of an
 * incoming input event into the node that declared it. A walk of the tree per event: input
 * events come at human pace, and a walk needs no index to keep in step with the tree.
 */
import { KIND, baseInternals, type BaseNode } from './base-node.js';
import { internals } from './internals.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';

const { kind } = baseInternals;

/** The element with this nodeId in the tree under `root` (root included), if any. */
export function findNodeById(root: BaseNode, nodeId: string): Node | undefined {
  const k = kind(root);
  if (k === KIND.ELEMENT && root.nodeId === nodeId) return root as Node;
  if (k !== KIND.ELEMENT && k !== KIND.FRAGMENT) return undefined;
  for (const child of internals.children(root as ParentNode)) {
    const found = findNodeById(child, nodeId);
    if (found !== undefined) return found;
  }
  return undefined;
}
