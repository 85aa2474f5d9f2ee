/**
 * What the page shows about the connection (SPEC §2.8, §4.4): the `lona-waiting` and
 * `lona-disconnected` attributes on <html>, and a small fixed banner (`#lona-banner`,
 * `data-state` = disconnected | version | cookies) for states a user must know about.
 * The banner's default style has zero specificity (`:where`), so any page rule wins.
 * It decides nothing: connection.ts tells it what to show.
 */

export type BannerState = 'disconnected' | 'version' | 'cookies';

const BANNER_TEXT: Record<BannerState, string> = {
  disconnected: 'Disconnected from the server. Reconnecting…',
  version: 'A new version is available, please reload.',
  cookies: 'This site needs cookies: please enable them and reload.',
};

const BANNER_STYLE =
  ':where(#lona-banner){position:fixed;left:0;right:0;bottom:0;z-index:2147483647;' +
  'padding:.5em 1em;background:#222;color:#fff;font:14px/1.4 system-ui,sans-serif;text-align:center}';

export class StatusUi {
  #doc: Document;
  #banner: HTMLElement | null = null;

  constructor(doc: Document) {
    this.#doc = doc;
  }

  /** `reasons` empty clears the waiting state. */
  setWaiting(reasons: string[]): void {
    toggle(this.#doc.documentElement, 'lona-waiting', reasons.join(' ') || null);
  }

  setBanner(state: BannerState | null): void {
    const doc = this.#doc;
    toggle(doc.documentElement, 'lona-disconnected', state);
    if (!state) {
      this.#banner?.remove();
      this.#banner = null;
      return;
    }
    if (!this.#banner) {
      if (!doc.getElementById('lona-banner-style')) {
        const style = doc.createElement('style');
        style.id = 'lona-banner-style';
        style.textContent = BANNER_STYLE;
        doc.head?.append(style);
      }
      this.#banner = doc.createElement('div');
      this.#banner.id = 'lona-banner';
      this.#banner.setAttribute('role', 'alert');
      (doc.body ?? doc.documentElement).append(this.#banner);
    }
    this.#banner.setAttribute('data-state', state);
    this.#banner.textContent = BANNER_TEXT[state];
  }
}

function toggle(element: Element, name: string, value: string | null): void {
  if (value === null) element.removeAttribute(name);
  else element.setAttribute(name, value);
}
