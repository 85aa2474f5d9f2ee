/**
 * The structural half of a PatchRecorder flush. During a batch the recorder only keeps, for
 * each child list the client has that changed, a copy of that list as the client has it.
 * Here those lists are compared with the lists now, and the patches that turn the one into
 * the other are emitted:
 *
 * 1. Parents are handled from the top of the tree down, so that when a node is moved into
 *    a parent, the parent's ancestors are already where they end up (a move can never put
 *    a node inside itself on the client).
 * 2. In each list, the children the client has that keep their relative order (a longest
 *    increasing subsequence) stay put; other children the client has are MOVEd and new
 *    ones INSERTed, each before the next child that stays (or at the end).
 * 3. A new subtree is serialized now, with its state at flush, so changes made to it during
 *    the batch need no patches. Nodes the client already has that were moved into it are
 *    left out of it and moved in right after.
 * 4. Children that are gone are REMOVEd (one CLEAR when a list loses all of them). When no
 *    node the client has was moved in this batch, that happens first, per list; otherwise
 *    it waits until every move is done, because a moved node may come out of a removed
 *    subtree.
 *
 * Known limitation: a node that another live recorder serialized during this batch and that
 * came back into this tree before this flush is re-sent while its old copy is still on this
 * client; the runtime's resync repairs that client.
 */
import { PATCH_OP, type Patch } from '../protocol/patches.js';
import type { SerializedNode } from '../protocol/nodes.js';
import type { BaseNode } from './base-node.js';
import { internals } from './internals.js';
import type { ParentNode } from './parent-node.js';

export interface StructureContext {
  /** The client has this node and it is in the tree at flush. */
  isKept(node: BaseNode): boolean;
  /** The client has this node (as of the last flush, or inserted earlier in this one). */
  isShown(node: BaseNode): boolean;
  /** Depth below the root, or -1 when the node is not in the tree. */
  depth(node: BaseNode): number;
  /** Serializes a new subtree, marking it shown; pushes nodes the client has onto `skipped`. */
  serializeNew(node: BaseNode, skipped: BaseNode[]): SerializedNode;
  push(patch: Patch): void;
}

export function flushStructure(
  ctx: StructureContext,
  childLists: ReadonlyMap<ParentNode, readonly BaseNode[]>,
  deferRemovals: boolean,
): void {
  const parents: [ParentNode, readonly BaseNode[], number][] = [];
  for (const [parent, before] of childLists) {
    const depth = ctx.depth(parent);
    if (depth >= 0 && ctx.isShown(parent)) parents.push([parent, before, depth]);
  }
  parents.sort((a, b) => a[2] - b[2]);
  for (const [parent, before] of parents) placeChildren(ctx, parent, before, deferRemovals);
  if (deferRemovals) {
    for (const [parent, before] of parents) {
      removeGone(ctx, parent, before, internals.children(parent).length === 0);
    }
  }
}

function placeChildren(
  ctx: StructureContext,
  parent: ParentNode,
  before: readonly BaseNode[],
  deferRemovals: boolean,
): void {
  const after = internals.children(parent);
  const stable = stableChildren(ctx, before, after);
  if (!deferRemovals) removeGone(ctx, parent, before, true);
  const parentId = parent.nodeId;
  let anchor: string | null = null;
  const anchors: (string | null)[] = new Array(after.length);
  for (let i = after.length - 1; i >= 0; i--) {
    anchors[i] = anchor;
    if (stable[i] === 1) anchor = (after[i] as BaseNode).nodeId;
  }
  for (let i = 0; i < after.length; i++) {
    if (stable[i] === 1) continue;
    const child = after[i] as BaseNode;
    const beforeId = anchors[i] as string | null;
    if (ctx.isShown(child)) ctx.push([PATCH_OP.MOVE, child.nodeId, parentId, beforeId]);
    else insertNew(ctx, parentId, child, beforeId);
  }
}

function insertNew(
  ctx: StructureContext,
  parentId: string,
  node: BaseNode,
  beforeId: string | null,
): void {
  const skipped: BaseNode[] = [];
  ctx.push([PATCH_OP.INSERT, parentId, beforeId, ctx.serializeNew(node, skipped)]);
  if (skipped.length === 0) return;
  // Move the left-out nodes into their new parents, right to left, so that each one's next
  // sibling is already on the client (new siblings came with the subtree).
  const done = new Set<ParentNode>();
  const left = new Set(skipped);
  for (const known of skipped) {
    const newParent = known.parent as ParentNode;
    if (done.has(newParent)) continue;
    done.add(newParent);
    const kids = internals.children(newParent);
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i] as BaseNode;
      if (!left.has(kid)) continue;
      const next = kids[i + 1];
      ctx.push([
        PATCH_OP.MOVE,
        kid.nodeId,
        newParent.nodeId,
        next === undefined ? null : next.nodeId,
      ]);
    }
  }
}

function removeGone(
  ctx: StructureContext,
  parent: ParentNode,
  before: readonly BaseNode[],
  mayClear: boolean,
): void {
  let gone = 0;
  for (const child of before) if (!ctx.isKept(child)) gone++;
  if (gone === 0) return;
  // Without deferral all of `before` is still on the client; with it, `mayClear` says the
  // list ends empty, so whatever is left on the client is gone.
  if (
    mayClear &&
    gone >= 2 &&
    (gone === before.length || internals.children(parent).length === 0)
  ) {
    ctx.push([PATCH_OP.CLEAR, parent.nodeId]);
    return;
  }
  for (const child of before) if (!ctx.isKept(child)) ctx.push([PATCH_OP.REMOVE, child.nodeId]);
}

/**
 * Flags (1) the children in `after` that the client has in `before` and that can stay
 * where they are: a longest run of them whose old positions increase.
 */
function stableChildren(
  ctx: StructureContext,
  before: readonly BaseNode[],
  after: readonly BaseNode[],
): Uint8Array {
  const n = after.length;
  const flags = new Uint8Array(n);
  if (n === 0 || before.length === 0) return flags;
  const oldIndex = new Map<BaseNode, number>();
  for (let i = 0; i < before.length; i++) oldIndex.set(before[i] as BaseNode, i);
  const positions = new Int32Array(n).fill(-1);
  let increasing = true;
  let last = -1;
  for (let i = 0; i < n; i++) {
    const child = after[i] as BaseNode;
    const old = oldIndex.get(child);
    if (old === undefined || !ctx.isShown(child)) continue;
    positions[i] = old;
    if (old < last) increasing = false;
    last = old;
  }
  if (increasing) {
    for (let i = 0; i < n; i++) if ((positions[i] as number) >= 0) flags[i] = 1;
    return flags;
  }
  // O(n log n) longest increasing subsequence over the positions that are not -1.
  const tails: number[] = []; // tails[k]: index in `after` ending the best run of length k+1
  const previous = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const value = positions[i] as number;
    if (value < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((positions[tails[mid] as number] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  for (
    let i = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
    i >= 0;
    i = previous[i] as number
  ) {
    flags[i] = 1;
  }
  return flags;
}
