/**
 * Which class builds an element of a given tag: used by parseHtml and by JSX intrinsic
 * elements (`<div>`), so that both give the same classes as the constructors. Inputs map
 * by type to their high-level classes; a tag without a class gets a generic Node.
 */
import type { AttributeValue } from './attribute-checks.js';
import * as documentTags from './nodes/document.js';
import * as embeddedTags from './nodes/embedded.js';
import { CheckBox } from './nodes/forms/check-box.js';
import * as formTags from './nodes/forms/elements.js';
import { NumberInput } from './nodes/forms/number-input.js';
import { RadioButton, RadioGroup } from './nodes/forms/radio.js';
import { Option, Select } from './nodes/forms/select.js';
import { TextArea, TextInput } from './nodes/forms/text-input.js';
import * as groupingTags from './nodes/grouping.js';
import * as interactiveTags from './nodes/interactive.js';
import { A } from './nodes/links.js';
import * as scriptingTags from './nodes/scripting.js';
import * as sectionTags from './nodes/sections.js';
import * as svgTags from './nodes/svg.js';
import * as tableTags from './nodes/tables.js';
import * as textTags from './nodes/text-level.js';
import { Node } from './node.js';

export type NodeClass = typeof Node;

function byTag(...modules: Record<string, unknown>[]): Map<string, NodeClass> {
  const map = new Map<string, NodeClass>();
  for (const module of modules) {
    for (const value of Object.values(module)) {
      if (typeof value === 'function' && value.prototype instanceof Node) {
        const cls = value as NodeClass;
        if (!map.has(cls.TAG_NAME)) map.set(cls.TAG_NAME, cls);
      }
    }
  }
  return map;
}

const HTML_CLASSES = byTag(
  documentTags,
  sectionTags,
  groupingTags,
  textTags,
  embeddedTags,
  tableTags,
  interactiveTags,
  scriptingTags,
  { A, Select, Option, TextArea },
  formTags,
);
HTML_CLASSES.delete('input'); // chosen by type below
const SVG_CLASSES = byTag(svgTags);

const TEXT_TYPES = new Set(['text', 'email', 'password', 'search', 'tel', 'url']);

function inputClass(type: string | undefined): NodeClass {
  const lower = (type ?? 'text').toLowerCase();
  if (TEXT_TYPES.has(lower)) return TextInput;
  switch (lower) {
    case 'number':
      return NumberInput;
    case 'checkbox':
      return CheckBox;
    case 'radio':
      return RadioButton;
    case 'submit':
      return formTags.Submit;
    default:
      return formTags.Input;
  }
}

/**
 * The class for an element; `attributes` picks input classes by `type` and a radio group
 * by `role`. `svg` selects SVG's classes for tags both languages have (a, title, ...).
 */
export function classForTag(
  tagName: string,
  attributes: Readonly<Record<string, AttributeValue | unknown>> = {},
  svg = false,
): NodeClass | undefined {
  if (svg) return SVG_CLASSES.get(tagName);
  const lower = tagName.toLowerCase();
  if (lower === 'input') {
    const type = attributes.type;
    return inputClass(typeof type === 'string' ? type : undefined);
  }
  if (lower === 'div' && attributes.role === 'radiogroup') return RadioGroup;
  return HTML_CLASSES.get(lower) ?? SVG_CLASSES.get(tagName);
}
