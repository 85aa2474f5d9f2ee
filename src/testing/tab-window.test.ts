/// <reference lib="dom" />
import { afterEach, describe, expect, it } from 'vitest';
import { formFields } from '../client/input-events.js';
import { createTabWindow, type TabWindow } from './tab-window.js';

let tab: TabWindow | undefined;

afterEach(async () => {
  await tab?.close();
  tab = undefined;
});

describe('createTabWindow', () => {
  it('gives a page at the URL with an empty #lona to render into', () => {
    tab = createTabWindow('http://localhost:1234/a?b=c');
    expect(tab.document.URL).toBe('http://localhost:1234/a?b=c');
    expect(tab.root.id).toBe('lona');
    expect(tab.root.innerHTML).toBe('');
  });

  it('gives form fields as browsers do: every selected option, nothing disabled', () => {
    tab = createTabWindow('http://localhost:1234/');
    tab.root.innerHTML = `<form>
      <input name="q" value="x">
      <select name="tags" multiple>
        <option value="a" selected>A</option><option value="b">B</option>
        <optgroup><option value="c" selected>C</option></optgroup>
        <option value="d" selected disabled>D</option>
        <optgroup disabled><option value="e" selected>E</option></optgroup>
      </select>
      <select name="none" multiple><option>N</option></select>
      <select name="off" multiple disabled><option selected>O</option></select>
      <select name="one"><option>1</option><option selected>2</option></select>
      <textarea name="note" disabled>n</textarea>
      <fieldset disabled><legend><input name="in-legend" value="l"></legend>
        <input name="in-fieldset" value="f"></fieldset>
      <input type="checkbox" name="box" checked><input type="checkbox" name="unticked">
      <input type="reset" name="reset" value="r"><input type="button" name="button" value="b">
      <button name="go" value="1">Go</button><button name="stay" value="2">Stay</button>
    </form>`;
    const form = tab.root.querySelector('form')!;
    expect(formFields(form)).toEqual({
      q: 'x',
      tags: ['a', 'c'],
      one: '2',
      'in-legend': 'l',
      box: 'on',
    });
    const stay = tab.root.querySelector<HTMLButtonElement>('button[name=stay]')!;
    expect(formFields(form, stay)).toMatchObject({ stay: '2' });
    expect(formFields(form, stay)).not.toHaveProperty('go');
  });

  it('does not load the page of a link it is asked to follow', () => {
    tab = createTabWindow('http://localhost:1234/');
    tab.root.innerHTML = '<a href="/elsewhere">x</a>';
    tab.root.querySelector('a')!.click();
    expect(tab.window.location.href).toBe('http://localhost:1234/');
  });
});
