/**
 * html/-internal access to the private storage of ParentNode and Node, for the modules that
 * must read it fast without allocating (render, serialize, selectors, the recorder). It is
 * a leaf module: the classes fill it in from their static blocks, so readers never import
 * the classes at run time and no import cycle can order class definitions wrongly.
 * Never exported from the package.
 */
import type { EventMap } from '../protocol/nodes.js';
import type { BaseNode } from './base-node.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';

export interface TreeInternals {
  children(node: ParentNode): readonly BaseNode[];
  attributes(node: Node): ReadonlyMap<string, string> | null;
  /** The ids or classes joined by spaces, as in the HTML attribute ('' when none). */
  tokenText(node: Node, list: 'id' | 'class'): string;
  hasToken(node: Node, list: 'id' | 'class', token: string): boolean;
  /** `node.idList.add(...tokens)` (or classList), without building the list when it can wait. */
  addTokens(node: Node, list: 'id' | 'class', tokens: readonly string[]): void;
  style(node: Node): ReadonlyMap<string, string> | null;
  /** The declared events (name → debounce ms) as a new object, or null when none. */
  events(node: Node): EventMap | null;
}

const notLoaded = (): never => {
  throw new Error('lona-ts html internals were used before the node classes were loaded');
};

export const internals: TreeInternals = {
  children: notLoaded,
  attributes: notLoaded,
  tokenText: notLoaded,
  hasToken: notLoaded,
  addTokens: notLoaded,
  style: notLoaded,
  events: notLoaded,
};
