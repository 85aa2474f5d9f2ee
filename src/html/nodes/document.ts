/**
 * Document-level elements (HTML spec §4.1-4.3): the root, metadata and body. The
 * <html> element is `Html`, because `HTML` is the fragment class.
 */
import { Node } from '../node.js';

export class Html extends Node {
  static override TAG_NAME = 'html';
}

export class Head extends Node {
  static override TAG_NAME = 'head';
}

export class Title extends Node {
  static override TAG_NAME = 'title';
}

export class Base extends Node {
  static override TAG_NAME = 'base';
}

export class Link extends Node {
  static override TAG_NAME = 'link';
}

export class Meta extends Node {
  static override TAG_NAME = 'meta';
}

export class Style extends Node {
  static override TAG_NAME = 'style';
}

export class Body extends Node {
  static override TAG_NAME = 'body';
}
