/**
 * html/-internal access to the private storage of ParentNode and Node, for the modules that
 * must read it fast without allocating (render, serialize, selectors, the recorder). It is
 * a leaf module: the classes fill it in from their static blocks, so readers never import
 * the classes at run time and no import cycle can order class definitions wrongly.
 * Never exported from the package.
 */
import type { BaseNode } from './base-node.js';
import type { Node } from './node.js';
import type { ParentNode } from './parent-node.js';

export interface TreeInternals {
  children(node: ParentNode): readonly BaseNode[];
  attributes(node: Node): ReadonlyMap<string, string> | null;
  ids(node: Node): ReadonlySet<string> | null;
  classes(node: Node): ReadonlySet<string> | null;
  style(node: Node): ReadonlyMap<string, string> | null;
  events(node: Node): ReadonlyMap<string, number> | null;
}

const notLoaded = (): never => {
  throw new Error('lona-ts html internals were used before the node classes were loaded');
};

export const internals: TreeInternals = {
  children: notLoaded,
  attributes: notLoaded,
  ids: notLoaded,
  classes: notLoaded,
  style: notLoaded,
  events: notLoaded,
};
