/**
 * HTML: a fragment of nodes without an element of its own (DocumentFragment semantics).
 * Appending a fragment to a node moves its children there and leaves it empty. A fragment
 * can also be the root a view shows: it renders as its children, and serializes as an
 * element tuple whose tag name is '' (FRAGMENT_TAG), which the client maps to the element
 * it renders the view into. `Fragment` in JSX builds one.
 */
import { KIND, baseInternals } from './base-node.js';
import type { Child } from './node-list.js';
import { ParentNode } from './parent-node.js';
import { renderHtml } from './render-html.js';

export class HTML extends ParentNode {
  static {
    baseInternals.setKind(this, KIND.FRAGMENT);
  }

  constructor(...children: Child[]) {
    super();
    if (children.length > 0) this.nodes.append(children);
  }

  equals(other: unknown): boolean {
    return other === this || (other instanceof HTML && this.childrenEqual(other));
  }

  toString(): string {
    return renderHtml(this);
  }
}
