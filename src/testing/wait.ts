/**
 * Small promise tools of the test client: a deferred whose rejection is never reported as
 * unhandled (nobody may be waiting on it yet), and a timeout race that builds its error
 * only when it fires, so the message can show the tab as it is at that moment.
 */

export interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A rejection (a dropped connection) may come before any verb awaits this promise.
  promise.catch(() => undefined);
  let settled = false;
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      if (settled) return;
      settled = true;
      resolve(value);
    },
    reject(error) {
      if (settled) return;
      settled = true;
      reject(error);
    },
  };
}

/** Races `promise` against `ms`; on timeout rejects with `onTimeout()`, called only then. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), Math.max(0, ms));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
