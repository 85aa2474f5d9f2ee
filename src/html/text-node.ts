/**
 * TextNode: a run of text. Its text is escaped when rendered and sent as a string, so it can
 * never become markup (Lona sent text unescaped; lona-ts does not). Changes are reported to
 * the patch sink as SET_TEXT.
 */
import { BaseNode, KIND, baseInternals } from './base-node.js';
import { escapeText } from './escape.js';

export class TextNode extends BaseNode {
  #text: string;

  static {
    baseInternals.setKind(this, KIND.TEXT);
  }

  constructor(text: unknown = '') {
    super();
    this.#text = text == null ? '' : String(text);
  }

  get text(): string {
    return this.#text;
  }

  set text(value: unknown) {
    const text = value == null ? '' : String(value);
    const before = this.#text;
    if (text === before) return;
    this.#text = text;
    baseInternals.shownBy(this)?.recordText(this, before, text);
  }

  setText(value: unknown): this {
    this.text = value;
    return this;
  }

  getText(): string {
    return this.#text;
  }

  equals(other: unknown): boolean {
    return other instanceof TextNode && other.#text === this.#text;
  }

  toString(): string {
    return escapeText(this.#text);
  }
}
