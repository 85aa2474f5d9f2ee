/**
 * RawHtml: trusted markup inserted verbatim, both by toString() and by the client (which
 * parses it, and never runs scripts from it). TRUSTED INPUT ONLY: never build it from user
 * data; anything a user typed belongs in a TextNode or an attribute, which are escaped.
 */
import { BaseNode, KIND, baseInternals } from './base-node.js';

export class RawHtml extends BaseNode {
  #html: string;

  static {
    baseInternals.setKind(this, KIND.RAW_HTML);
  }

  constructor(html: string = '') {
    super();
    this.#html = String(html);
  }

  /** The markup. Changing it is sent as SET_TEXT on this node. */
  get html(): string {
    return this.#html;
  }

  set html(value: string) {
    const html = String(value);
    const before = this.#html;
    if (html === before) return;
    this.#html = html;
    baseInternals.shownBy(this)?.recordText(this, before, html);
  }

  /** Markup is not text: RawHtml contributes nothing to getText(). */
  getText(): string {
    return '';
  }

  equals(other: unknown): boolean {
    return other instanceof RawHtml && other.#html === this.#html;
  }

  toString(): string {
    return this.#html;
  }
}
