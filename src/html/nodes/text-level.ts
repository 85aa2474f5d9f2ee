/**
 * Text-level semantics (HTML spec §4.5) and edits (§4.7). `A` is in links.ts.
 */
import { Node } from '../node.js';

export class Em extends Node {
  static override TAG_NAME = 'em';
}

export class Strong extends Node {
  static override TAG_NAME = 'strong';
}

export class Small extends Node {
  static override TAG_NAME = 'small';
}

export class S extends Node {
  static override TAG_NAME = 's';
}

export class Cite extends Node {
  static override TAG_NAME = 'cite';
}

export class Q extends Node {
  static override TAG_NAME = 'q';
}

export class Dfn extends Node {
  static override TAG_NAME = 'dfn';
}

export class Abbr extends Node {
  static override TAG_NAME = 'abbr';
}

export class Ruby extends Node {
  static override TAG_NAME = 'ruby';
}

export class Rt extends Node {
  static override TAG_NAME = 'rt';
}

export class Rp extends Node {
  static override TAG_NAME = 'rp';
}

export class Data extends Node {
  static override TAG_NAME = 'data';
}

export class Time extends Node {
  static override TAG_NAME = 'time';
}

export class Code extends Node {
  static override TAG_NAME = 'code';
}

export class Var extends Node {
  static override TAG_NAME = 'var';
}

export class Samp extends Node {
  static override TAG_NAME = 'samp';
}

export class Kbd extends Node {
  static override TAG_NAME = 'kbd';
}

export class Sub extends Node {
  static override TAG_NAME = 'sub';
}

export class Sup extends Node {
  static override TAG_NAME = 'sup';
}

export class I extends Node {
  static override TAG_NAME = 'i';
}

export class B extends Node {
  static override TAG_NAME = 'b';
}

export class U extends Node {
  static override TAG_NAME = 'u';
}

export class Mark extends Node {
  static override TAG_NAME = 'mark';
}

export class Bdi extends Node {
  static override TAG_NAME = 'bdi';
}

export class Bdo extends Node {
  static override TAG_NAME = 'bdo';
}

export class Span extends Node {
  static override TAG_NAME = 'span';
}

export class Br extends Node {
  static override TAG_NAME = 'br';
}

export class Wbr extends Node {
  static override TAG_NAME = 'wbr';
}

export class Ins extends Node {
  static override TAG_NAME = 'ins';
}

export class Del extends Node {
  static override TAG_NAME = 'del';
}
