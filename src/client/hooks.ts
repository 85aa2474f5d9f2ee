/**
 * The page's hooks: `lona.on('disconnect' | 'reconnect' | 'waiting' | 'message', fn)`
 * (SPEC §11). A tiny emitter that exists before the connection does, so that page scripts
 * can register hooks at any time. A throwing hook is logged and never stops the client.
 */

export interface HookEvents {
  /** The connection dropped (or was refused): `code` is the close code. */
  disconnect: { code: number; reason: string };
  /** The connection is back after a disconnect. */
  reconnect: Record<string, never>;
  /** The waiting state changed; `reasons` lists why it is on ('view-start', 'input-event', 'busy'). */
  waiting: { waiting: boolean; reasons: string[]; retryAfterMs?: number };
  /** A custom message from the view (`view.sendMessage(data)`). */
  message: { data: unknown; viewId: string | null };
}

export type HookName = keyof HookEvents;
export type Hook<K extends HookName> = (event: HookEvents[K]) => void;

export class Hooks {
  #hooks = new Map<HookName, Set<(event: never) => void>>();

  /** Registers a hook; returns a function that removes it. */
  on<K extends HookName>(name: K, hook: Hook<K>): () => void {
    let set = this.#hooks.get(name);
    if (!set) this.#hooks.set(name, (set = new Set()));
    set.add(hook);
    return () => set.delete(hook);
  }

  emit<K extends HookName>(name: K, event: HookEvents[K]): void {
    for (const hook of this.#hooks.get(name) ?? []) {
      try {
        (hook as Hook<K>)(event);
      } catch (error) {
        console.error(error);
      }
    }
  }
}
