/**
 * Input events as they travel from the client to the server: names, and the shape of
 * each event's data. Pure data shared by server and client.
 *
 * Change data is typed per node kind, and the server checks it against the node
 * (SPEC §8): text inputs and textareas send the string; number inputs send the raw string
 * (the server parses it); checkboxes and radio buttons send a boolean; a select sends the
 * indexes of its selected options among its Option descendants, in document order; a
 * radio group sends the index of its checked RadioButton among its RadioButton
 * descendants, or -1.
 */

export const EVENT_NAME = {
  CLICK: 'click',
  CHANGE: 'change',
  FOCUS: 'focus',
  BLUR: 'blur',
  SUBMIT: 'submit',
} as const;
export type BuiltinEventName = (typeof EVENT_NAME)[keyof typeof EVENT_NAME];

/** Custom event names (fired by widgets or declared on nodes). */
export const CUSTOM_EVENT_NAME_RE = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

export interface ClickData {
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Size of the clicked node's box, in CSS pixels. */
  width: number;
  height: number;
  /** Pointer position inside that box. */
  x: number;
  y: number;
}

/** Change data: string (text, number raw), boolean (checkbox, radio), number[] (select), number (radio group). */
export type ChangeData = string | boolean | number | number[];

/** Submit data: the form's fields, as the browser's FormData gives them. */
export type SubmitData = Record<string, string | string[]>;

/** Largest custom event payload, serialized (SPEC §8). */
export const MAX_CUSTOM_EVENT_DATA_BYTES = 64 * 1024;
/** Deepest nesting of custom event data (SPEC §8). */
export const MAX_CUSTOM_EVENT_DATA_DEPTH = 32;
