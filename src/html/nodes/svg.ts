/**
 * SVG elements. Tag names keep SVG's case (`foreignObject`, `linearGradient`); the
 * client derives the namespace from `svg`. Classes that would clash with another name are
 * prefixed: `SvgText`, `SvgSymbol`, `SvgImage`, `SvgTitle`, `SvgA`, `SvgStyle`, `SvgScript`.
 */
import { Node } from '../node.js';

export class Svg extends Node {
  static override TAG_NAME = 'svg';
}

export class G extends Node {
  static override TAG_NAME = 'g';
}

export class Path extends Node {
  static override TAG_NAME = 'path';
}

export class Circle extends Node {
  static override TAG_NAME = 'circle';
}

export class Ellipse extends Node {
  static override TAG_NAME = 'ellipse';
}

export class Line extends Node {
  static override TAG_NAME = 'line';
}

export class Polyline extends Node {
  static override TAG_NAME = 'polyline';
}

export class Polygon extends Node {
  static override TAG_NAME = 'polygon';
}

export class Rect extends Node {
  static override TAG_NAME = 'rect';
}

export class SvgText extends Node {
  static override TAG_NAME = 'text';
}

export class TSpan extends Node {
  static override TAG_NAME = 'tspan';
}

export class TextPath extends Node {
  static override TAG_NAME = 'textPath';
}

export class Defs extends Node {
  static override TAG_NAME = 'defs';
}

export class Use extends Node {
  static override TAG_NAME = 'use';
}

export class SvgSymbol extends Node {
  static override TAG_NAME = 'symbol';
}

export class LinearGradient extends Node {
  static override TAG_NAME = 'linearGradient';
}

export class RadialGradient extends Node {
  static override TAG_NAME = 'radialGradient';
}

export class Stop extends Node {
  static override TAG_NAME = 'stop';
}

export class ClipPath extends Node {
  static override TAG_NAME = 'clipPath';
}

export class Mask extends Node {
  static override TAG_NAME = 'mask';
}

export class Pattern extends Node {
  static override TAG_NAME = 'pattern';
}

export class SvgImage extends Node {
  static override TAG_NAME = 'image';
}

export class ForeignObject extends Node {
  static override TAG_NAME = 'foreignObject';
}

export class Marker extends Node {
  static override TAG_NAME = 'marker';
}

export class Filter extends Node {
  static override TAG_NAME = 'filter';
}

export class Desc extends Node {
  static override TAG_NAME = 'desc';
}

export class SvgTitle extends Node {
  static override TAG_NAME = 'title';
}

export class SvgA extends Node {
  static override TAG_NAME = 'a';
}

export class SvgStyle extends Node {
  static override TAG_NAME = 'style';
}

export class SvgScript extends Node {
  static override TAG_NAME = 'script';
}
