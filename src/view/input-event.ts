/**
 * `InputEvent`: what a handler receives for a click, change, focus, blur, submit or custom
 * event (SPEC §3.4). Built by the runtime from a validated client message; it resolves
 * node ids to the server's own nodes, so handlers never see client-supplied objects.
 */
import type { Node } from '../html/node.js';
import type { Request } from './request.js';

export class InputEvent {
  /** 'click' | 'change' | 'focus' | 'blur' | 'submit' or a custom name. */
  readonly name: string;
  /** The node that declared the event. */
  readonly node: Node;
  /** The node under the pointer (a click on a child of a clickable node), else `node`. */
  readonly targetNode: Node;
  /** Click: position and modifier keys; change: the typed value; submit: the form's fields. */
  readonly data: unknown;
  /** The request of the view the event belongs to. */
  readonly request: Request;
  /** The id the client gave the event (echoed in `ack` and `done`). */
  readonly id: number;
  /** The connection that sent it (opaque; used to skip echoing its own value back). */
  readonly origin: object | null;

  constructor(init: {
    id: number;
    name: string;
    node: Node;
    targetNode: Node;
    data: unknown;
    request: Request;
    origin: object | null;
  }) {
    this.id = init.id;
    this.name = init.name;
    this.node = init.node;
    this.targetNode = init.targetNode;
    this.data = init.data;
    this.request = init.request;
    this.origin = init.origin;
  }

  /** The issuing node and its ancestors, up to the root. */
  get nodes(): Node[] {
    const nodes: Node[] = [];
    for (let node: Node | null = this.node; node; node = node.parentElement) nodes.push(node);
    return nodes;
  }

  get tagName(): string {
    return this.node.tagName;
  }

  get idList(): string[] {
    return [...this.node.idList];
  }

  get classList(): string[] {
    return [...this.node.classList];
  }

  nodeHasId(id: string): boolean {
    return this.node.idList.has(id);
  }

  nodeHasClass(className: string): boolean {
    return this.node.classList.has(className);
  }
}
