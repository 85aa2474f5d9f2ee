/**
 * The narrow interface through which nodes report their mutations. Nodes only know this
 * interface; PatchRecorder implements it and turns the reports into protocol patches at
 * flush. A node reports to the sink that has it on its client (`shownBy`), so nodes that
 * were never sent cost one null check per mutation.
 */
import type { BaseNode } from './base-node.js';
import type { ParentNode } from './parent-node.js';

export interface PatchSink {
  /** False once detached: a stale node must never be able to revive a dead recorder. */
  readonly isLive: boolean;
  /** A TextNode's text or a RawHtml's markup changed. */
  recordText(node: BaseNode, before: string, after: string): void;
  /** An attribute changed; `null` means absent. */
  recordAttribute(node: BaseNode, name: string, before: string | null, after: string | null): void;
  /** A token of an idList or classList was added (`present`) or removed. */
  recordToken(node: BaseNode, list: 'id' | 'class', token: string, present: boolean): void;
  /** A style property changed; `null` means absent. */
  recordStyle(node: BaseNode, name: string, before: string | null, after: string | null): void;
  /** The declared events changed; `before` is their JSON before this change. */
  recordEvents(node: BaseNode, before: string): void;
  /** The widget name changed (data changes are found by diffing at flush). */
  recordWidget(node: BaseNode): void;
  /** Called before a child list changes, so the recorder can keep the list the client has. */
  recordChildList(parent: ParentNode): void;
  /** A node the client has was inserted somewhere: removals must wait until moves are done. */
  recordKnownMoved(): void;
}
