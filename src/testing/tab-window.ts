/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The DOM of one test tab: a happy-dom Window at the tab's URL holding a minimal page with
 * the `#lona` mount element, the way the frontend shell gives one to the browser client.
 * It never loads anything: no page navigation (the test client navigates in-app itself),
 * no scripts, no style sheets. Rendering into it is DomView's job (src/client/dom-view.ts).
 *
 * The browser client reads a form's fields through `window.FormData` (input-events.ts
 * `formFields`), and happy-dom's FormData differs from browsers where forms meet selects:
 * it keeps one selected option of a `<select multiple>`, sends '' for one with none
 * selected, and keeps disabled selects and textareas. So this window gets a FormData that
 * builds the entry list as the HTML standard says.
 */
import { Window } from 'happy-dom';

export interface TabWindow {
  /** The happy-dom window (its `history` holds the tab's URL). */
  readonly window: Window;
  readonly document: Document;
  /** `#lona`: where DomView renders the view. */
  readonly root: HTMLElement;
  /** Stops happy-dom's timers and tasks of this window. */
  close(): Promise<void>;
}

export function createTabWindow(url: string): TabWindow {
  const window = new Window({
    url,
    settings: {
      disableJavaScriptFileLoading: true,
      handleDisabledFileLoadingAsSuccess: true,
      navigation: {
        // Links and forms the browser client leaves to the browser must not load pages.
        disableMainFrameNavigation: true,
        disableChildFrameNavigation: true,
        disableChildPageNavigation: true,
        disableFallbackToSetURL: true,
      },
    },
  });
  const document = window.document as unknown as Document;
  document.write(
    '<!DOCTYPE html><html><head><title></title></head><body><div id="lona"></div></body></html>',
  );
  installFormData(window);
  return {
    window,
    document,
    root: document.getElementById('lona')!,
    close: () => window.happyDOM.close(),
  };
}

/** Replaces the window's FormData with one whose form entries follow the HTML standard. */
function installFormData(window: Window): void {
  const target = window as unknown as { FormData: typeof FormData };
  const Base = target.FormData;
  target.FormData = class StandardFormData extends Base {
    constructor(form?: HTMLFormElement, submitter?: HTMLElement | null) {
      super();
      if (!form) return;
      if (submitter && (!isSubmitButton(submitter) || formOwner(submitter) !== form)) {
        throw new TypeError('The submitter is not a submit button of this form');
      }
      for (const [name, value] of entryList(form, submitter ?? null)) this.append(name, value);
    }
  };
}

/** Input types that are buttons: only the submitter among them gives an entry. */
const BUTTON_TYPES: ReadonlySet<string> = new Set(['submit', 'image', 'reset', 'button']);

/** "Constructing the entry list" of the HTML standard, for string values (files are left out). */
function entryList(form: HTMLFormElement, submitter: HTMLElement | null): [string, string][] {
  const entries: [string, string][] = [];
  for (const element of Array.from(form.elements)) {
    if (element.closest('datalist') || isDisabled(element)) continue;
    const control = element as HTMLInputElement;
    const name = control.name;
    const type = (element.getAttribute('type') ?? '').toLowerCase();
    const isInput = element.localName === 'input';
    const isButton = element.localName === 'button' || (isInput && BUTTON_TYPES.has(type));
    if (isButton) {
      if (element !== submitter) continue;
      if (isInput && type === 'image') {
        const prefix = name ? `${name}.` : '';
        entries.push([`${prefix}x`, '0'], [`${prefix}y`, '0']);
        continue;
      }
    }
    if (!name) continue;
    switch (element.localName) {
      case 'select':
        for (const option of Array.from((element as HTMLSelectElement).options)) {
          if (option.selected && !isDisabled(option)) entries.push([name, option.value]);
        }
        break;
      case 'input':
        if (type === 'checkbox' || type === 'radio') {
          if (control.checked) entries.push([name, control.value]);
        } else if (type !== 'file') {
          entries.push([name, control.value]);
        }
        break;
      case 'textarea':
      case 'button':
        entries.push([name, control.value]);
        break;
    }
  }
  return entries;
}

function isSubmitButton(element: Element): boolean {
  const type = (element.getAttribute('type') ?? '').toLowerCase();
  if (element.localName === 'button') return type === '' || type === 'submit';
  return element.localName === 'input' && (type === 'submit' || type === 'image');
}

function formOwner(element: Element): HTMLFormElement | null {
  return (element as HTMLInputElement).form ?? null;
}

/** A disabled control, or one inside a disabled fieldset or optgroup. */
function isDisabled(element: Element): boolean {
  if ((element as HTMLInputElement).disabled) return true;
  if (element.localName === 'option' && element.closest('optgroup[disabled]')) return true;
  const fieldset = element.closest('fieldset[disabled]');
  if (!fieldset) return false;
  // A control in a disabled fieldset's first legend stays enabled.
  const legend = Array.from(fieldset.children).find((child) => child.localName === 'legend');
  return !legend?.contains(element);
}
