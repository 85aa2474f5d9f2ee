/**
 * Interactive elements (HTML spec §4.11).
 */
import { Node } from '../node.js';

export class Details extends Node {
  static override TAG_NAME = 'details';
}

export class Summary extends Node {
  static override TAG_NAME = 'summary';
}

export class Dialog extends Node {
  static override TAG_NAME = 'dialog';
}
