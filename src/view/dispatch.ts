/**
 * Input event dispatch (SPEC §3.4), run as one job of a view's lane: resolve and check the
 * event against the shown tree (SPEC §8), sync form values, then
 * `handleInputEventRoot` → the node and each ancestor → the oldest matching kind-specific
 * await → the oldest matching `awaitInputEvent` → `View.handleInputEvent`. Patches are
 * flushed after every event and `done` goes back to the tab that sent it.
 */
import type { Node } from '../html/node.js';
import { findNodeById } from '../html/node-index.js';
import { EVENT_NAME } from '../protocol/events.js';
import type { ClientMessage } from '../server/message-validation.js';
import { InputEvent } from './input-event.js';
import { HttpRedirectResponse, RedirectResponse } from './responses.js';
import type { ViewConnection, ViewRuntime } from './view-runtime.js';

type InputMessage = Extract<ClientMessage, { kind: 'event' }>;

/** What the origin connection must offer: frames, and `done`. */
export interface EventOrigin extends ViewConnection {
  sendDone(viewId: string, eventId: number, seq: number, code?: string): void;
}

/** Why an event was not run; travels in `done` so the client can clear its busy state. */
export type DropCode =
  'view-stopped' | 'unknown-node' | 'not-declared' | 'disabled' | 'invalid-data' | 'error';

const NODE_HANDLERS: Record<string, string> = {
  [EVENT_NAME.CLICK]: 'handleClick',
  [EVENT_NAME.CHANGE]: 'handleChange',
  [EVENT_NAME.FOCUS]: 'handleFocus',
  [EVENT_NAME.BLUR]: 'handleBlur',
  [EVENT_NAME.SUBMIT]: 'handleSubmit',
};

/** Runs one input event message as a lane job of `runtime`. */
export async function runInputEvent(
  runtime: ViewRuntime,
  message: InputMessage,
  origin: EventOrigin,
): Promise<void> {
  const drop = (code: DropCode, detail: string) => {
    runtime.host.logger.debug(
      `${runtime.name}: ${message.name} event dropped (${code}): ${detail}`,
    );
    origin.sendDone(message.viewId, message.eventId, runtime.seq, code);
  };
  if (runtime.removed || (runtime.stopped && runtime.stopReason !== undefined)) {
    return drop('view-stopped', 'the view has stopped');
  }
  const root = runtime.root;
  const node = root ? findNodeById(root, message.nodeId) : undefined;
  if (!node) return drop('unknown-node', `no node ${message.nodeId} in the shown tree`);
  if (!node.declaresEvent(message.name))
    return drop('not-declared', `${node.tagName} does not declare '${message.name}'`);
  if (node.attributes.has('disabled')) return drop('disabled', `${node.tagName} is disabled`);
  const target = (message.targetNodeId && root && findNodeById(root, message.targetNodeId)) || node;
  if (target !== node && !isInside(target, node))
    return drop('unknown-node', 'target is not inside the node');
  const dataProblem = builtinDataProblem(message.name, message.data);
  if (dataProblem) return drop('invalid-data', dataProblem);

  // Form nodes sync their value first; this never consumes the event. Handlers then get
  // the typed value (SPEC §3.4), not its wire form.
  let data = message.data;
  if (message.name === EVENT_NAME.CHANGE && 'applyClientChange' in node) {
    const input = node as Node & {
      applyClientChange(data: unknown, origin?: object): boolean;
      changeValue?: unknown;
    };
    if (!input.applyClientChange(message.data, origin))
      return drop('invalid-data', `change data does not fit ${node.tagName}`);
    if ('changeValue' in input) data = input.changeValue;
  }

  const event = new InputEvent({
    id: message.eventId,
    name: message.name,
    node,
    targetNode: target,
    data,
    request: runtime.request,
    origin,
  });

  try {
    const redirect = await dispatch(runtime, event);
    if (redirect) {
      runtime.redirect(redirect);
    } else if (!runtime.stopped || runtime.stopReason === undefined) {
      runtime.flush();
    }
  } catch (error) {
    await runtime.fail(error);
    origin.sendDone(message.viewId, message.eventId, runtime.seq, 'error');
    return;
  }
  origin.sendDone(message.viewId, message.eventId, runtime.seq);
}

type Redirect = RedirectResponse | HttpRedirectResponse;

function isRedirect(value: unknown): value is Redirect {
  return value instanceof RedirectResponse || value instanceof HttpRedirectResponse;
}

/** The dispatch chain; resolves with a redirect when a step returned one. */
async function dispatch(runtime: ViewRuntime, first: InputEvent): Promise<Redirect | undefined> {
  const view = runtime.view;
  const rootResult = await runtime.callHandler('handleInputEventRoot', () =>
    view.handleInputEventRoot(first),
  );
  if (isRedirect(rootResult)) return rootResult;
  if (rootResult === null || rootResult === undefined) return undefined;
  const event = rootResult instanceof InputEvent ? rootResult : first;

  const awaited = runtime.awaits.wants(event);
  for (const node of event.nodes) {
    const outcome = await runNodeHandler(runtime, node, event);
    if (outcome === CONTINUE) continue;
    if (awaited) {
      runtime.warnOnce('LONA_WARN_AWAIT_SKIPPED', { view: runtime.name, event: event.name });
    }
    return isRedirect(outcome) ? outcome : undefined;
  }

  if (runtime.awaits.resolveOldest(event, true)) return undefined;
  if (runtime.awaits.resolveOldest(event, false)) return undefined;

  const result = await runtime.callHandler('handleInputEvent', () => view.handleInputEvent(event));
  if (isRedirect(result)) return result;
  if (result === event || result === undefined) {
    runtime.host.logger.debug(`${runtime.name}: unconsumed ${event.name} event dropped`);
  }
  return undefined;
}

const CONTINUE = Symbol('continue');

/**
 * Runs the handler a node has for this event: its `handleX` prop (always consumes, may
 * return a redirect) or its own `handleInputEvent` method (returns the event to pass it on).
 */
async function runNodeHandler(
  runtime: ViewRuntime,
  node: Node,
  event: InputEvent,
): Promise<unknown> {
  const propName = NODE_HANDLERS[event.name];
  const prop = propName ? node.getHandler(propName) : undefined;
  if (prop) {
    const result = await runtime.callHandler(propName!, () => prop.call(node, event));
    return isRedirect(result) ? result : undefined;
  }
  if (node.hasOwnInputEventHandler()) {
    const result = await runtime.callHandler(`${node.constructor.name}.handleInputEvent`, () =>
      node.handleInputEvent(event),
    );
    return result === event ? CONTINUE : result;
  }
  return CONTINUE;
}

const CLICK_DATA_TYPES: Record<string, 'boolean' | 'number'> = {
  altKey: 'boolean',
  ctrlKey: 'boolean',
  metaKey: 'boolean',
  shiftKey: 'boolean',
  width: 'number',
  height: 'number',
  x: 'number',
  y: 'number',
};

/**
 * Click and submit data must have their documented shape (SPEC §3.4) before a handler
 * sees them: a click's keys are booleans and finite numbers, a submit's fields strings or
 * lists of strings. `null` is accepted (a widget's `fireEvent` without data). Change data
 * is checked by the node it changes.
 */
function builtinDataProblem(name: string, data: unknown): string | null {
  if (data === null || (name !== EVENT_NAME.CLICK && name !== EVENT_NAME.SUBMIT)) return null;
  if (typeof data !== 'object' || Array.isArray(data)) return `${name} data is not an object`;
  for (const [key, value] of Object.entries(data)) {
    if (name === EVENT_NAME.SUBMIT) {
      const ok =
        typeof value === 'string' ||
        (Array.isArray(value) && value.every((item) => typeof item === 'string'));
      if (!ok) return `submit field '${key.slice(0, 32)}' is not a string or a list of strings`;
      continue;
    }
    const type = CLICK_DATA_TYPES[key];
    if (type === undefined) continue;
    if (typeof value !== type || (type === 'number' && !Number.isFinite(value)))
      return `click data '${key}' is not a ${type === 'number' ? 'finite number' : type}`;
  }
  return null;
}

function isInside(node: Node, ancestor: Node): boolean {
  for (let current: Node | null = node.parentElement; current; current = current.parentElement) {
    if (current === ancestor) return true;
  }
  return false;
}
