/**
 * The origin of the mutations being made right now: set while a form node applies a change
 * that came from one browser tab, so that the recorder can tag those patches and the
 * runtime can skip echoing them to that tab (SPEC §2.5). Mutations are synchronous, so one
 * module-level slot is enough; it is always restored.
 */
let current: object | undefined;

export function withOrigin<T>(origin: object | undefined, mutate: () => T): T {
  const previous = current;
  current = origin;
  try {
    return mutate();
  } finally {
    current = previous;
  }
}

export function currentOrigin(): object | undefined {
  return current;
}
