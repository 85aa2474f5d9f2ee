/**
 * NumberInput (<input type="number">). The browser sends the raw text (`rawValue`); `value`
 * is its number, or null when it is empty or not a number; `valid` also checks min, max
 * and step. From the server, the value is sent as the attribute 'value' (removed for
 * null). Change data is the raw string (protocol/events.ts).
 */
import { LonaError } from '../../../errors.js';
import { describeValue } from '../../escape.js';
import { isProps } from '../../node-props.js';
import { withOrigin } from '../../origin.js';
import { InputNode, type InputNodeProps } from './input-node.js';

export interface NumberInputProps extends InputNodeProps {
  value?: number | null;
  min?: number | null;
  max?: number | null;
  step?: number | null;
}

export class NumberInput extends InputNode {
  static override TAG_NAME = 'input';
  static override ATTRIBUTES = { type: 'number' };
  static override OWN_PROPS: ReadonlySet<string> = new Set([
    ...InputNode.OWN_PROPS,
    'min',
    'max',
    'step',
  ]);

  constructor(props?: NumberInputProps) {
    super(props);
    if (!isProps(props)) return;
    if (props.min !== undefined) this.min = props.min;
    if (props.max !== undefined) this.max = props.max;
    if (props.step !== undefined) this.step = props.step;
    if (props.value !== undefined) this.value = props.value;
  }

  /** The text in the field, as the browser has it. */
  get rawValue(): string {
    return this.attributes.get('value') ?? '';
  }

  set rawValue(raw: string) {
    if (typeof raw !== 'string') this.badValue(raw, 'a string');
    if (raw === '') this.attributes.delete('value');
    else this.attributes.set('value', raw);
  }

  get value(): number | null {
    const raw = this.rawValue.trim();
    if (raw === '') return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }

  set value(value: number | null) {
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      this.badValue(value, 'a finite number or null');
    }
    if (value === null ? this.rawValue === '' : value === this.value) return;
    this.rawValue = value === null ? '' : String(value);
  }

  /** Empty, or a number within min and max that is a whole number of steps from min. */
  get valid(): boolean {
    if (this.rawValue.trim() === '') return true;
    const value = this.value;
    if (value === null) return false;
    const { min, max, step } = this;
    if ((min !== null && value < min) || (max !== null && value > max)) return false;
    if (step === null || step <= 0) return true;
    const steps = (value - (min ?? 0)) / step;
    return Math.abs(steps - Math.round(steps)) < 1e-9;
  }

  get min(): number | null {
    return this.#number('min');
  }
  set min(min: number | null) {
    this.#setNumber('min', min);
  }
  get max(): number | null {
    return this.#number('max');
  }
  set max(max: number | null) {
    this.#setNumber('max', max);
  }
  get step(): number | null {
    return this.#number('step');
  }
  set step(step: number | null) {
    this.#setNumber('step', step);
  }

  applyClientChange(data: unknown, origin?: object): boolean {
    if (typeof data !== 'string') return false;
    withOrigin(origin, () => (this.rawValue = data));
    return true;
  }

  #number(name: string): number | null {
    const raw = this.attributes.get(name);
    if (raw === undefined) return null;
    const value = Number(raw);
    return Number.isFinite(value) ? value : null;
  }

  #setNumber(name: string, value: number | null): void {
    if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new LonaError('LONA_ERR_HTML_BAD_PROP', {
        name,
        node: 'NumberInput',
        expected: 'a finite number or null',
        got: describeValue(value),
      });
    }
    this.attributes.set(name, value);
  }
}
