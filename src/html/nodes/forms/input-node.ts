/**
 * InputNode: the base of form nodes with a typed `value` that follows the browser. It
 * declares 'change' with a debounce (class default DEBOUNCE_MS, or the `debounceMs` prop)
 * and defines `applyClientChange`, which the view runtime calls with an incoming change
 * event's data before dispatching it (SPEC §3.4). Each subclass checks that data as
 * protocol/events.ts describes, updates its value, and tags the patches this records with
 * the change's origin, so the tab that sent it gets no echo.
 */
import { LonaError } from '../../../errors.js';
import { describeValue } from '../../escape.js';
import type { EventDeclaration } from '../../event-declarations.js';
import type { Child } from '../../node-list.js';
import { isProps, type NodeProps } from '../../node-props.js';
import { Node } from '../../node.js';

export interface InputNodeProps extends NodeProps {
  /** Debounce of the change event in ms (0 = on every change). */
  debounceMs?: number | null;
}

const declaresChange = (events: unknown): boolean =>
  Array.isArray(events) &&
  events.some((d: EventDeclaration) => (typeof d === 'string' ? d : d[0]) === 'change');

export abstract class InputNode extends Node {
  /** Debounce of 'change' unless the props say otherwise; null declares no change event. */
  static DEBOUNCE_MS: number | null = 300;
  static override OWN_PROPS: ReadonlySet<string> = new Set([
    ...Node.OWN_PROPS,
    'value',
    'debounceMs',
  ]);

  constructor(props?: InputNodeProps | Child, ...children: Child[]) {
    super(props, ...children);
    const own = isProps(props) ? props : undefined;
    if (own?.debounceMs !== undefined) this.debounceMs = own.debounceMs;
    else if (!declaresChange(own?.events))
      this.debounceMs = (this.constructor as typeof InputNode).DEBOUNCE_MS;
  }

  /** Debounce of the declared change event in ms, or null when none is declared. */
  get debounceMs(): number | null {
    return this.events.debounceMs('change') ?? null;
  }

  set debounceMs(ms: number | null) {
    if (ms === null) this.events.remove('change');
    else this.events.add('change', { debounceMs: ms });
  }

  /** The node's typed value; it follows the browser on change and can be set from the server. */
  abstract get value(): unknown;

  /**
   * What a change event of this node carries as `event.data` once applied (SPEC §3.4):
   * the typed value, not its wire form (select indexes, raw number text, ...).
   */
  get changeValue(): unknown {
    return this.value;
  }

  /**
   * Applies a change event's data from the browser: returns false, changing nothing, when
   * the data is not valid for this node; else updates `value` and returns true. Patches it
   * records carry `origin`.
   */
  abstract applyClientChange(data: unknown, origin?: object): boolean;

  protected badValue(got: unknown, expected: string): never {
    throw new LonaError('LONA_ERR_HTML_BAD_VALUE', {
      node: this.constructor.name,
      got: describeValue(got),
      expected,
    });
  }
}

/** Typed values match when identical, or (for objects and arrays) when equal as JSON. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The `value` attribute that mirrors a typed value: primitives only. */
export function valueAttribute(value: unknown): string | null {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : null;
}
