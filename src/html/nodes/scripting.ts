/**
 * Scripting (HTML spec §4.12). The client never runs a Script from a tree or a patch;
 * a Script's or Style's text may not contain its own end tag (checked on render).
 */
import { Node } from '../node.js';

export class Script extends Node {
  static override TAG_NAME = 'script';
}

export class NoScript extends Node {
  static override TAG_NAME = 'noscript';
}

export class Template extends Node {
  static override TAG_NAME = 'template';
}

export class Slot extends Node {
  static override TAG_NAME = 'slot';
}

export class Canvas extends Node {
  static override TAG_NAME = 'canvas';
}
