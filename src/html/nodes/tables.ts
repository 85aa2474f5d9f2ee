/**
 * Tabular data (HTML spec §4.9).
 */
import { Node } from '../node.js';

export class Table extends Node {
  static override TAG_NAME = 'table';
}

export class Caption extends Node {
  static override TAG_NAME = 'caption';
}

export class ColGroup extends Node {
  static override TAG_NAME = 'colgroup';
}

export class Col extends Node {
  static override TAG_NAME = 'col';
}

export class TBody extends Node {
  static override TAG_NAME = 'tbody';
}

export class THead extends Node {
  static override TAG_NAME = 'thead';
}

export class TFoot extends Node {
  static override TAG_NAME = 'tfoot';
}

export class Tr extends Node {
  static override TAG_NAME = 'tr';
}

export class Td extends Node {
  static override TAG_NAME = 'td';
}

export class Th extends Node {
  static override TAG_NAME = 'th';
}
