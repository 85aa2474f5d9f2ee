/**
 * Input events by delegation on the view's root element: clicks, changes (debounced per
 * node), focus and blur, form submits, and the in-app navigation of links and forms
 * (SPEC §3.4). It turns DOM events into `send(name, nodeId, targetNodeId, data)` calls
 * with the typed data of protocol/events.ts, and navigation into `navigate(...)` calls;
 * what is done with them (the wire, busy marks, history) is the caller's business.
 *
 * One rule for every event: walking up from the DOM target, the first node with an id is
 * the target node and the first node that declares the event is the one it is sent for
 * (the innermost wins). For clicks, a link or a submit button met first is the browser's
 * (or the form's) business, so it wins too. A disabled declaring element sends nothing.
 */
import type { ChangeData, ClickData, SubmitData } from '../protocol/events.js';
import type { NodeId } from '../protocol/nodes.js';
import type { InputValues } from './input-values.js';
import type { NodeMap } from './node-map.js';

export type SendInput = (
  name: string,
  nodeId: NodeId,
  targetNodeId: NodeId | null,
  data: unknown,
) => void;

export type Navigate = (url: string, method: 'GET' | 'POST', post?: SubmitData) => void;

export interface InputEventsOptions {
  root: Element;
  map: NodeMap;
  values: InputValues;
  send: SendInput;
  /** Without it, links and forms are left to the browser. */
  navigate?: Navigate;
}

export interface InputEventsHandle {
  /** Sends every debounced change now (e.g. before a submit or a navigation). */
  flushPending(): void;
  destroy(): void;
}

interface Hit {
  element: Element;
  id: NodeId;
  targetId: NodeId | null;
  delay: number;
}

interface Pending {
  hit: Hit;
  /** The control the user changed (differs from hit.element in a radio group). */
  control: Element;
  timer: ReturnType<typeof setTimeout>;
}

export function wireInputEvents(options: InputEventsOptions): InputEventsHandle {
  const { root, map, values, send, navigate } = options;
  const doc = root.ownerDocument;
  const pending = new Map<Element, Pending>();
  /** Declarers whose value went out on `input`, so the native `change` after it is a repeat. */
  const sentOnInput = new WeakSet<Element>();

  /** The innermost declarer of `name` above `from`; with `actions`, links and submit buttons stop the walk. */
  function walk(from: EventTarget | null, name: string, actions = false): Hit | Element | null {
    let targetId: NodeId | null = null;
    for (let node = from as Node | null; node && node !== root; node = node.parentNode) {
      const id = map.idOf(node);
      if (id !== undefined) {
        targetId ??= id;
        const delay = map.events(id)?.[name];
        if (typeof delay === 'number') return { element: node as Element, id, targetId, delay };
      }
      if (actions && node.nodeType === 1 && isAction(node as Element)) return node as Element;
    }
    return null;
  }

  function declarer(from: EventTarget | null, name: string): Hit | null {
    const hit = walk(from, name) as Hit | null;
    return hit && !isDisabled(hit.element) ? hit : null;
  }

  function sendChange(hit: Hit, control: Element): void {
    // A node removed (or re-rendered) since the user changed it has nothing to report.
    if (map.get(hit.id) !== hit.element) return;
    values.drop(control);
    send('change', hit.id, hit.targetId, changeData(hit.element));
  }

  function flush(element: Element): void {
    const entry = pending.get(element);
    if (!entry) return;
    clearTimeout(entry.timer);
    pending.delete(element);
    sentOnInput.add(element);
    sendChange(entry.hit, entry.control);
  }

  const listeners: Record<string, (event: Event) => void> = {
    click(event) {
      const e = event as MouseEvent;
      if (e.defaultPrevented) return;
      const hit = walk(e.target, 'click', true);
      if (!hit) return;
      if (!('delay' in hit)) {
        if (hit.localName === 'a') followLink(e, hit);
        return;
      }
      if (isDisabled(hit.element)) return;
      // The server handles this click: the browser must not also follow or submit.
      if (hit.element.closest('a[href],button,input[type=submit],input[type=image]')) {
        e.preventDefault();
      }
      send('click', hit.id, hit.targetId, clickData(e, hit.element));
    },

    input(event) {
      const hit = declarer(event.target, 'change');
      if (!hit) return;
      const control = event.target as Element;
      values.drop(control);
      const old = pending.get(hit.element);
      if (old) clearTimeout(old.timer);
      if (hit.delay > 0) {
        const timer = setTimeout(() => flush(hit.element), hit.delay);
        pending.set(hit.element, { hit, control, timer });
      } else {
        pending.delete(hit.element);
        sentOnInput.add(hit.element);
        sendChange(hit, control);
      }
    },

    change(event) {
      const hit = declarer(event.target, 'change');
      if (!hit) return;
      if (pending.has(hit.element)) flush(hit.element);
      else if (!sentOnInput.has(hit.element)) sendChange(hit, event.target as Element);
      sentOnInput.delete(hit.element);
    },

    focusin(event) {
      const hit = declarer(event.target, 'focus');
      if (hit) send('focus', hit.id, hit.targetId, null);
    },

    focusout(event) {
      const control = event.target as Element;
      const change = walk(control, 'change') as Hit | null;
      if (change) flush(change.element);
      values.flush(control);
      const hit = declarer(control, 'blur');
      if (hit) send('blur', hit.id, hit.targetId, null);
    },

    submit(event) {
      const e = event as SubmitEvent;
      const form = e.target as HTMLFormElement;
      if (e.defaultPrevented || form.localName !== 'form') return;
      const id = map.idOf(form);
      const submitter = e.submitter;
      if (id !== undefined && typeof map.events(id)?.submit === 'number') {
        e.preventDefault();
        for (const element of [...pending.keys()]) {
          if (form.contains(element) || (element as HTMLInputElement).form === form) flush(element);
        }
        const targetId = (submitter && nearestId(submitter)) ?? id;
        send('submit', id, targetId, formFields(form, submitter));
        return;
      }
      if (navigate) submitNavigation(e, form, submitter);
    },
  };

  function nearestId(from: Node): NodeId | null {
    for (let node: Node | null = from; node && node !== root; node = node.parentNode) {
      const id = map.idOf(node);
      if (id !== undefined) return id;
    }
    return null;
  }

  /** SPEC §3.4: a plain primary click on a same-origin link of this app. */
  function followLink(e: MouseEvent, link: Element): void {
    if (!navigate || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    if (link.hasAttribute('download') || link.closest('[data-lona-ignore]')) return;
    const target = link.getAttribute('target');
    if (target && target !== '_self') return;
    const href = link.getAttribute('href') ?? link.getAttribute('xlink:href') ?? '';
    const url = parseUrl(href, doc.baseURI);
    const here = new URL(doc.URL);
    if (!url || url.origin !== here.origin) return;
    if (href.includes('#') && withoutHash(url) === withoutHash(here)) return;
    e.preventDefault();
    navigate(url.href, 'GET');
  }

  /** SPEC §3.4: a form without a submit declaration navigates, unless it needs the browser. */
  function submitNavigation(e: SubmitEvent, form: HTMLFormElement, submitter: HTMLElement | null) {
    // A submit button's formaction / formmethod / … override the form's own attributes.
    const attr = (name: string) =>
      submitter?.getAttribute('form' + name) ?? form.getAttribute(name);
    const method = (attr('method') ?? 'get').toLowerCase();
    const target = attr('target');
    if (
      form.hasAttribute('data-lona-ignore') ||
      (attr('enctype') ?? '').toLowerCase() === 'multipart/form-data' ||
      (target && target !== '_self') ||
      method === 'dialog' ||
      Array.from(form.elements).some((el) => (el as HTMLInputElement).type === 'file')
    ) {
      return;
    }
    const url = parseUrl(attr('action') || doc.URL, doc.baseURI);
    if (!url || url.origin !== new URL(doc.URL).origin) return;
    e.preventDefault();
    const fields = formFields(form, submitter);
    if (method === 'post') return navigate!(url.href, 'POST', fields);
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) query.append(name, item);
    }
    url.search = query.toString();
    navigate!(url.href, 'GET');
  }

  for (const name in listeners) root.addEventListener(name, listeners[name]!);

  return {
    flushPending() {
      for (const element of [...pending.keys()]) flush(element);
    },
    destroy() {
      for (const name in listeners) root.removeEventListener(name, listeners[name]!);
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
    },
  };
}

/** A link, or a button that submits its form: clicks on these are not a parent's. */
function isAction(element: Element): boolean {
  if (element.localName === 'a') {
    return element.hasAttribute('href') || element.hasAttribute('xlink:href');
  }
  const control = element as HTMLInputElement;
  return (
    (element.localName === 'button' || element.localName === 'input') &&
    !!control.form &&
    (control.type === 'submit' || control.type === 'image')
  );
}

function isDisabled(element: Element): boolean {
  if (element.hasAttribute('disabled')) return true;
  try {
    return element.matches(':disabled');
  } catch {
    return false;
  }
}

/** An unparsable URL is the browser's to deal with. */
function parseUrl(href: string, base: string): URL | null {
  try {
    return new URL(href, base);
  } catch {
    return null;
  }
}

function withoutHash(url: URL): string {
  return url.href.split('#')[0]!;
}

export function clickData(e: MouseEvent, element: Element): ClickData {
  const box = element.getBoundingClientRect();
  return {
    altKey: e.altKey,
    ctrlKey: e.ctrlKey,
    metaKey: e.metaKey,
    shiftKey: e.shiftKey,
    width: Math.round(box.width),
    height: Math.round(box.height),
    x: Math.round(e.clientX - box.left),
    y: Math.round(e.clientY - box.top),
  };
}

/** The typed change value of protocol/events.ts for the declaring element. */
export function changeData(element: Element): ChangeData {
  const tag = element.localName;
  if (tag === 'select') {
    const options = Array.from(element.querySelectorAll('option'));
    return options.flatMap((option, index) => (option.selected ? [index] : []));
  }
  if (tag === 'input') {
    const input = element as HTMLInputElement;
    return input.type === 'checkbox' || input.type === 'radio' ? input.checked : input.value;
  }
  if (tag === 'textarea') return (element as HTMLTextAreaElement).value;
  // A radio group: the index of its checked radio among its radios, or -1.
  const radios = Array.from(element.querySelectorAll<HTMLInputElement>('input[type=radio]'));
  return radios.findIndex((radio) => radio.checked);
}

/** The form's fields as FormData gives them; a name that repeats gives an array. Files are left out. */
export function formFields(form: HTMLFormElement, submitter?: HTMLElement | null): SubmitData {
  const FormDataClass = form.ownerDocument.defaultView?.FormData ?? FormData;
  let data: FormData;
  try {
    data = new FormDataClass(form, submitter);
  } catch {
    data = new FormDataClass(form);
  }
  const fields = new Map<string, string | string[]>();
  data.forEach((value, name) => {
    if (typeof value !== 'string') return;
    const old = fields.get(name);
    fields.set(name, old === undefined ? value : ([] as string[]).concat(old, value));
  });
  return Object.fromEntries(fields);
}
