import { describe, expect, it } from 'vitest';
import { CheckBox } from './check-box.js';
import { Form } from './elements.js';
import { NumberInput } from './number-input.js';
import { RadioButton, RadioGroup } from './radio.js';
import { Option, Select } from './select.js';
import { TextArea, TextInput } from './text-input.js';

const badValue = expect.objectContaining({ code: 'LONA_ERR_HTML_BAD_VALUE' });

describe('form nodes', () => {
  it('declare change with a debounce of 300 ms for text and 0 for discrete inputs', () => {
    expect(new TextInput().debounceMs).toBe(300);
    expect(new TextArea().debounceMs).toBe(300);
    expect(new NumberInput().debounceMs).toBe(300);
    expect(new TextInput({ debounceMs: 0 }).events.toJSON()).toEqual({ change: 0 });
    expect(new CheckBox().debounceMs).toBe(0);
    expect(new Select().debounceMs).toBe(0);
    expect(new RadioGroup().debounceMs).toBe(0);
    expect(new RadioButton().debounceMs).toBeNull();
    expect(new TextInput({ events: [['change', { debounceMs: 40 }]] }).debounceMs).toBe(40);
  });

  it('declare submit on a Form with handleSubmit', () => {
    expect(new Form({ handleSubmit: () => undefined }).declaresEvent('submit')).toBe(true);
    expect(new Form().declaresEvent('submit')).toBe(false);
  });

  it('give a change event the typed value, not its wire form', () => {
    const number = new NumberInput();
    number.applyClientChange('4.5');
    expect(number.changeValue).toBe(4.5);
    const select = new Select(new Option({ value: { id: 1 } }, 'A'), new Option({ value: 2 }, 'B'));
    select.applyClientChange([1]);
    expect(select.changeValue).toBe(2);
    const group = new RadioGroup(new RadioButton({ value: 'a' }), new RadioButton({ value: 'b' }));
    group.applyClientChange(0);
    expect(group.changeValue).toBe('a');
    const lone = new RadioButton({ value: 'a' });
    lone.applyClientChange(true);
    expect(lone.changeValue).toBe(true);
  });

  describe('TextInput and TextArea', () => {
    it('hold a string value and accept string change data only', () => {
      const input = new TextInput({ value: 'a', placeholder: 'p' });
      expect(input.toString()).toBe('<input type="text" placeholder="p" value="a">');
      expect(input.applyClientChange('b')).toBe(true);
      expect(input.value).toBe('b');
      expect(input.applyClientChange(3)).toBe(false);
      expect(input.value).toBe('b');
      expect(() => (input.value = 3 as never)).toThrow(
        /TextInput\.value cannot be set to 3: a string/,
      );
      const area = new TextArea('hello');
      expect(area.value).toBe('hello');
      area.applyClientChange('<b>');
      expect(area.toString()).toBe('<textarea>&lt;b&gt;</textarea>');
    });
  });

  describe('NumberInput', () => {
    it('parses the raw value and checks min, max and step', () => {
      const input = new NumberInput({ min: 0, max: 10, step: 2, value: 4 });
      expect([input.value, input.rawValue, input.valid]).toEqual([4, '4', true]);
      input.applyClientChange('5');
      expect([input.value, input.valid]).toEqual([5, false]);
      input.applyClientChange('12');
      expect(input.valid).toBe(false);
      input.applyClientChange('abc');
      expect([input.value, input.rawValue, input.valid]).toEqual([null, 'abc', false]);
      input.applyClientChange('');
      expect([input.value, input.valid]).toEqual([null, true]);
      expect(input.applyClientChange(5)).toBe(false);
      input.value = null;
      expect(input.attributes.has('value')).toBe(false);
      expect(() => (input.value = Number.NaN)).toThrow(badValue);
      expect(() => new NumberInput({ min: '1' as never })).toThrow(/'min' of NumberInput/);
    });
  });

  describe('CheckBox', () => {
    it('holds a boolean in the checked attribute', () => {
      const box = new CheckBox({ value: true });
      expect(box.toString()).toBe('<input type="checkbox" checked>');
      expect(box.applyClientChange(false)).toBe(true);
      expect(box.value).toBe(false);
      expect(box.applyClientChange('true')).toBe(false);
    });
  });

  describe('Select', () => {
    it('has typed values, single and multiple', () => {
      const a = { id: 1 };
      const select = new Select(
        new Option({ value: a }, 'A'),
        new Option({ value: 2, label: 'Two' }),
      );
      expect(select.value).toEqual(a); // the first option, as the browser shows it
      select.value = 2;
      expect(select.value).toBe(2);
      select.value = { id: 1 };
      expect(select.value).toBe(a);
      expect(() => (select.value = 3)).toThrow(badValue);
      expect(select.applyClientChange([1])).toBe(true);
      expect(select.value).toBe(2);
      expect(select.applyClientChange([0, 1])).toBe(false);
      expect(select.applyClientChange([2])).toBe(false);
      expect(select.applyClientChange(['0'])).toBe(false);
      const multi = new Select(
        { multiple: true, value: ['x', 'z'] },
        new Option('x'),
        new Option('y'),
        new Option('z'),
      );
      expect(multi.value).toEqual(['x', 'z']);
      expect(multi.applyClientChange([1, 2])).toBe(true);
      expect(multi.value).toEqual(['y', 'z']);
      expect(multi.applyClientChange([1, 1])).toBe(false);
      expect(multi.selectedOptions.map((o) => o.label)).toEqual(['y', 'z']);
    });
  });

  describe('RadioGroup', () => {
    it('has the typed value of its checked button, or null', () => {
      const group = new RadioGroup(
        new RadioButton({ value: 1, name: 'g' }),
        new RadioButton({ value: 2, name: 'g' }),
      );
      expect(group.toString()).toBe(
        '<div role="radiogroup"><input type="radio" name="g" value="1"><input type="radio" name="g" value="2"></div>',
      );
      expect(group.value).toBeNull();
      group.value = 2;
      expect(group.radioButtons.map((b) => b.checked)).toEqual([false, true]);
      expect(group.applyClientChange(0)).toBe(true);
      expect(group.value).toBe(1);
      expect(group.applyClientChange(-1)).toBe(true);
      expect(group.value).toBeNull();
      expect(group.applyClientChange(2)).toBe(false);
      expect(group.applyClientChange(true)).toBe(false);
      expect(() => (group.value = 9)).toThrow(badValue);
    });
  });
});
