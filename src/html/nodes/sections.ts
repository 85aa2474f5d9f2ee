/**
 * Sectioning elements and headings (HTML spec §4.3).
 */
import { Node } from '../node.js';

export class Article extends Node {
  static override TAG_NAME = 'article';
}

export class Section extends Node {
  static override TAG_NAME = 'section';
}

export class Nav extends Node {
  static override TAG_NAME = 'nav';
}

export class Aside extends Node {
  static override TAG_NAME = 'aside';
}

export class H1 extends Node {
  static override TAG_NAME = 'h1';
}

export class H2 extends Node {
  static override TAG_NAME = 'h2';
}

export class H3 extends Node {
  static override TAG_NAME = 'h3';
}

export class H4 extends Node {
  static override TAG_NAME = 'h4';
}

export class H5 extends Node {
  static override TAG_NAME = 'h5';
}

export class H6 extends Node {
  static override TAG_NAME = 'h6';
}

export class HGroup extends Node {
  static override TAG_NAME = 'hgroup';
}

export class Header extends Node {
  static override TAG_NAME = 'header';
}

export class Footer extends Node {
  static override TAG_NAME = 'footer';
}

export class Address extends Node {
  static override TAG_NAME = 'address';
}
