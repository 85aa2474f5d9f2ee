/**
 * The shape of an input event as node handlers see it. The view runtime (src/view/) builds
 * the real event object and dispatches it; html/ only needs these fields, and cannot import
 * view/. view/ may widen this interface by declaration merging
 * (`declare module '../html/input-event.js' { interface NodeInputEvent { request: ... } }`)
 * so that handlers written inline get its full type.
 */
import type { Node } from './node.js';

export interface NodeInputEvent {
  /** 'click' | 'change' | 'focus' | 'blur' | 'submit' or a custom name. */
  readonly name: string;
  /** Per SPEC §3.4: click data, the typed change value, the submitted fields, ... */
  readonly data: unknown;
  /** The node that declared the event. */
  readonly node: Node;
  /** The node under the pointer, when it differs from `node`. */
  readonly targetNode: Node | null;
}

/**
 * A node handler (`handleClick`, ...). Returning anything other than the event counts as
 * handled; returning the event passes it on to the parent. Method syntax keeps parameters
 * bivariant, so a handler annotated with view/'s richer InputEvent still fits.
 */
export type InputEventHandler = {
  handle(event: NodeInputEvent): unknown;
}['handle'];
