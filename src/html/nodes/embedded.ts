/**
 * Embedded content (HTML spec §4.8) and MathML. Classes whose tag would shadow a
 * JavaScript global are suffixed: `ObjectElement` (<object>), `MapElement` (<map>),
 * `MathElement` (<math>).
 */
import { Node } from '../node.js';

export class Picture extends Node {
  static override TAG_NAME = 'picture';
}

export class Source extends Node {
  static override TAG_NAME = 'source';
}

export class Img extends Node {
  static override TAG_NAME = 'img';
}

export class IFrame extends Node {
  static override TAG_NAME = 'iframe';
}

export class Embed extends Node {
  static override TAG_NAME = 'embed';
}

export class ObjectElement extends Node {
  static override TAG_NAME = 'object';
}

export class Video extends Node {
  static override TAG_NAME = 'video';
}

export class Audio extends Node {
  static override TAG_NAME = 'audio';
}

export class Track extends Node {
  static override TAG_NAME = 'track';
}

export class MapElement extends Node {
  static override TAG_NAME = 'map';
}

export class Area extends Node {
  static override TAG_NAME = 'area';
}

export class MathElement extends Node {
  static override TAG_NAME = 'math';
}
