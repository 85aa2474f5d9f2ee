/**
 * Links (HTML spec §4.6). The client navigates inside the app for same-origin links
 * (SPEC §3.4); `interactive: false` renders `data-lona-ignore` so it leaves the link to the
 * browser (downloads, other apps on the same origin, ...).
 */
import type { Child } from '../node-list.js';
import { isProps, type NodeProps } from '../node-props.js';
import { Node } from '../node.js';

export interface AProps extends NodeProps {
  /** false: a plain browser link. @default true */
  interactive?: boolean;
}

export class A extends Node {
  static override TAG_NAME = 'a';
  static override OWN_PROPS: ReadonlySet<string> = new Set([...Node.OWN_PROPS, 'interactive']);

  constructor(props?: AProps | Child, ...children: Child[]) {
    super(props, ...children);
    if (isProps(props) && props.interactive !== undefined) this.interactive = props.interactive;
  }

  /** Whether the client handles clicks on this link (false renders data-lona-ignore). */
  get interactive(): boolean {
    return !this.attributes.has('data-lona-ignore');
  }

  set interactive(interactive: boolean) {
    this.attributes.set('data-lona-ignore', !interactive);
  }
}
