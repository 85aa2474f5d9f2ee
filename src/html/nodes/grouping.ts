/**
 * Grouping content (HTML spec §4.4).
 */
import { Node } from '../node.js';

export class P extends Node {
  static override TAG_NAME = 'p';
}

export class Hr extends Node {
  static override TAG_NAME = 'hr';
}

export class Pre extends Node {
  static override TAG_NAME = 'pre';
}

export class BlockQuote extends Node {
  static override TAG_NAME = 'blockquote';
}

export class Ol extends Node {
  static override TAG_NAME = 'ol';
}

export class Ul extends Node {
  static override TAG_NAME = 'ul';
}

export class Menu extends Node {
  static override TAG_NAME = 'menu';
}

export class Li extends Node {
  static override TAG_NAME = 'li';
}

export class Dl extends Node {
  static override TAG_NAME = 'dl';
}

export class Dt extends Node {
  static override TAG_NAME = 'dt';
}

export class Dd extends Node {
  static override TAG_NAME = 'dd';
}

export class Figure extends Node {
  static override TAG_NAME = 'figure';
}

export class FigCaption extends Node {
  static override TAG_NAME = 'figcaption';
}

export class Main extends Node {
  static override TAG_NAME = 'main';
}

export class Search extends Node {
  static override TAG_NAME = 'search';
}

export class Div extends Node {
  static override TAG_NAME = 'div';
}
