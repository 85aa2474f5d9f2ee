/**
 * Client widgets, the JS interop point (SPEC §3.5, §11): the registry behind
 * `Lona.registerWidget(name, class)` and the WidgetHost that runs their lifecycle for one
 * view: construct after the batch that rendered the node, `onDataUpdated(data)` after a
 * batch that changed the data, `destroy()` when the node goes or the widget is replaced.
 * It does not find removed nodes (node-map.ts tells it) nor send events (it calls `fire`).
 */
import {
  CUSTOM_EVENT_NAME_RE,
  MAX_CUSTOM_EVENT_DATA_BYTES,
  MAX_CUSTOM_EVENT_DATA_DEPTH,
} from '../protocol/events.js';
import type { NodeId, WidgetSpec } from '../protocol/nodes.js';
import type { KeyPath } from '../protocol/patches.js';

/** What a widget gets besides its root element and data. */
export interface WidgetApi {
  readonly nodeId: NodeId;
  readonly root: Element;
  /** Sends a custom input event for the widget's node (JSON data, at most 64 KiB). */
  fireEvent(name: string, data?: unknown): void;
}

export interface Widget {
  onDataUpdated?(data: unknown): void;
  destroy?(): void;
}

export type WidgetClass = new (root: Element, data: unknown, api: WidgetApi) => Widget;

export class WidgetRegistry {
  #classes = new Map<string, WidgetClass>();

  register(name: string, widgetClass: WidgetClass): void {
    if (typeof widgetClass !== 'function') {
      throw new TypeError(`Lona.registerWidget('${name}', …) needs a class`);
    }
    this.#classes.set(name, widgetClass);
  }

  get(name: string): WidgetClass | undefined {
    return this.#classes.get(name);
  }
}

/** The page's registry: what `Lona.registerWidget` fills. */
export const widgetRegistry = new WidgetRegistry();

interface Entry {
  name: string;
  data: unknown;
  root: Element;
  instance?: Widget;
  /** Constructed, or failed to be: never constructed twice. */
  started: boolean;
}

export class WidgetHost {
  #entries = new Map<NodeId, Entry>();
  /** Widgets to construct or notify at the end of the batch. */
  #touched = new Set<NodeId>();
  #registry: WidgetRegistry;
  #fire: (nodeId: NodeId, name: string, data: unknown) => void;
  #report: (error: Error) => void;

  constructor(
    registry: WidgetRegistry,
    fire: (nodeId: NodeId, name: string, data: unknown) => void,
    report: (error: Error) => void,
  ) {
    this.#registry = registry;
    this.#fire = fire;
    this.#report = report;
  }

  /** Attaches, replaces (another class) or updates (same class) a widget; null detaches. */
  set(id: NodeId, root: Element, spec: WidgetSpec | null): void {
    const entry = this.#entries.get(id);
    if (spec && entry && entry.name === spec[0] && entry.root === root) {
      entry.data = spec[1];
    } else {
      this.remove(id);
      if (!spec) return;
      this.#entries.set(id, { name: spec[0], data: spec[1], root, started: false });
    }
    this.#touched.add(id);
  }

  setData(id: NodeId, path: KeyPath, value: unknown): void {
    const entry = this.#entry(id);
    if (path.length === 0) entry.data = value;
    else {
      const [parent, key] = locate(entry.data, path);
      (parent as Record<string | number, unknown>)[key] = value;
    }
    this.#touched.add(id);
  }

  /** Deletes an object key, or truncates an array at the index (its tail goes). */
  deleteData(id: NodeId, path: KeyPath): void {
    const entry = this.#entry(id);
    if (path.length === 0) entry.data = undefined;
    else {
      const [parent, key] = locate(entry.data, path);
      if (Array.isArray(parent) && typeof key === 'number')
        parent.length = Math.min(key, parent.length);
      else delete (parent as Record<string | number, unknown>)[key];
    }
    this.#touched.add(id);
  }

  /** The node went away: destroy its widget. */
  remove(id: NodeId): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#touched.delete(id);
    if (entry.instance) this.#call(entry, () => entry.instance?.destroy?.());
  }

  /** Ends a batch: constructs new widgets, then tells changed ones their new data. */
  flush(): void {
    const touched = [...this.#touched];
    this.#touched.clear();
    for (const id of touched) {
      const entry = this.#entries.get(id);
      if (!entry) continue;
      if (!entry.started) this.#start(id, entry);
      else if (entry.instance) this.#call(entry, () => entry.instance?.onDataUpdated?.(entry.data));
    }
  }

  clear(): void {
    for (const id of [...this.#entries.keys()]) this.remove(id);
  }

  #start(id: NodeId, entry: Entry): void {
    entry.started = true;
    const widgetClass = this.#registry.get(entry.name);
    if (!widgetClass) {
      this.#report(new Error(`Unknown widget '${entry.name}': call Lona.registerWidget first`));
      return;
    }
    const api: WidgetApi = {
      nodeId: id,
      root: entry.root,
      fireEvent: (name, data = null) => {
        checkCustomEvent(name, data);
        this.#fire(id, name, data);
      },
    };
    this.#call(entry, () => {
      entry.instance = new widgetClass(entry.root, entry.data, api);
    });
  }

  #entry(id: NodeId): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new Error(`Node id '${id}' has no widget`);
    return entry;
  }

  /** A widget's own bug is reported, never allowed to break patching. */
  #call(entry: Entry, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#report(new Error(`Widget '${entry.name}' failed: ${message}`));
    }
  }
}

function locate(data: unknown, path: KeyPath): [object, string | number] {
  let parent = data;
  for (const key of path.slice(0, -1)) {
    parent = isContainer(parent) ? (parent as Record<string | number, unknown>)[key] : undefined;
  }
  if (!isContainer(parent))
    throw new Error(`Widget data has no container at ${JSON.stringify(path)}`);
  return [parent, path[path.length - 1]!];
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The client-side checks of SPEC §8 for custom event names and data. */
export function checkCustomEvent(name: string, data: unknown): void {
  if (!CUSTOM_EVENT_NAME_RE.test(name)) throw new TypeError(`Invalid event name '${name}'`);
  const json = JSON.stringify(data);
  if (json === undefined) throw new TypeError('Event data must be JSON');
  if (new TextEncoder().encode(json).length > MAX_CUSTOM_EVENT_DATA_BYTES) {
    throw new TypeError(`Event data is larger than ${MAX_CUSTOM_EVENT_DATA_BYTES} bytes`);
  }
  if (depth(data) > MAX_CUSTOM_EVENT_DATA_DEPTH) {
    throw new TypeError(`Event data is nested deeper than ${MAX_CUSTOM_EVENT_DATA_DEPTH}`);
  }
}

function depth(value: unknown): number {
  if (!isContainer(value)) return 0;
  let max = 0;
  for (const child of Object.values(value)) max = Math.max(max, depth(child));
  return max + 1;
}
