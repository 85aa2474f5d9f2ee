/**
 * One test user's cookies, as a browser keeps them for one site: filled from the
 * Set-Cookie headers of the HTTP requests the test client makes, sent with every request
 * and WebSocket upgrade. One origin only, so paths, domains and expiry dates are not
 * tracked; a cookie set with `Max-Age=0` or an `Expires` in the past is deleted.
 */

export class CookieJar {
  readonly #cookies = new Map<string, string>();

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  delete(name: string): void {
    this.#cookies.delete(name);
  }

  /** Every cookie, name → value. */
  toObject(): Record<string, string> {
    return Object.fromEntries(this.#cookies);
  }

  /** The Cookie header value ('' when empty). */
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Takes the cookies of a response's Set-Cookie headers. */
  store(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (isExpired(attributes)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

function isExpired(attributes: string[]): boolean {
  for (const attribute of attributes) {
    const [key = '', value = ''] = attribute.split('=').map((part) => part.trim());
    if (key.toLowerCase() === 'max-age' && Number(value) <= 0) return true;
    if (key.toLowerCase() === 'expires' && Date.parse(value) <= Date.now()) return true;
  }
  return false;
}
