/**
 * The focus rule of SPEC §2.5 for input values: a server value for `value`, `checked` or
 * `selected` is written to the DOM property at once, unless the control has focus; then
 * it is kept and written on blur. The patch applier calls `set`; input-events.ts calls
 * `drop` when the user's own value goes to the server (which adopts it, so an older server
 * value is stale) and `flush` on blur.
 */

type Deferred = [target: Element, property: string, value: unknown];

export class InputValues {
  /** Keyed by the focused control (a select, for its options' `selected`). */
  #deferred = new Map<Element, Deferred[]>();

  /**
   * Runs `mutate` (the attribute or text change that carries the server's value), then
   * makes `target[property]` equal `value()`. While the control has focus, whatever
   * `mutate` did to what the user sees is undone (a control the user has not touched yet
   * follows its attribute) and the value waits for blur.
   */
  update(target: Element, property: string, mutate: () => void, value: () => unknown): void {
    const control = property === 'selected' ? (target.closest('select') ?? target) : target;
    if (control.ownerDocument.activeElement !== control) {
      mutate();
      write(target, property, value());
      return;
    }
    const restore = snapshot(control);
    mutate();
    restore();
    const list = this.#deferred.get(control) ?? [];
    list.push([target, property, value()]);
    this.#deferred.set(control, list);
  }

  /** Writes the values kept for `control` (it lost focus). */
  flush(control: Element): void {
    const list = this.#deferred.get(control);
    this.#deferred.delete(control);
    for (const [target, property, value] of list ?? []) write(target, property, value);
  }

  /** Forgets the values kept for `control` (the user's value is newer). */
  drop(control: Element): void {
    this.#deferred.delete(control);
  }

  clear(): void {
    this.#deferred.clear();
  }
}

/** What the user sees in a control, and a function that puts it back. */
function snapshot(control: Element): () => void {
  if (control.localName === 'select') {
    const options = Array.from((control as HTMLSelectElement).options);
    const selected = options.map((option) => option.selected);
    return () => options.forEach((option, i) => write(option, 'selected', selected[i]));
  }
  const { value, checked } = control as HTMLInputElement;
  return () => {
    write(control, 'value', value);
    write(control, 'checked', checked);
  };
}

function write(target: Element, property: string, value: unknown): void {
  const object = target as unknown as Record<string, unknown>;
  if (!(property in object) || object[property] === value) return;
  try {
    object[property] = value;
  } catch {
    // A file input refuses any value but '': its value is the user's choice anyway.
  }
}
