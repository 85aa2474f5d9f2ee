// @vitest-environment happy-dom
import { describe, it, expect, vi } from 'vitest';

class FakeSocket {
  static urls: string[] = [];
  readyState = 0;
  onopen = null;
  onmessage = null;
  onclose = null;
  constructor(url: string) {
    FakeSocket.urls.push(url);
  }
  send() {}
  close() {}
}

describe('the bundle entry', () => {
  it('defines window.Lona and window.lona, then starts on #lona with #lona-settings', async () => {
    document.body.innerHTML =
      '<div id="lona"></div><script type="application/json" id="lona-settings">' +
      '{"wsPath": "/custom/ws"}</script>';
    vi.stubGlobal('WebSocket', FakeSocket);
    await import('./index.js');
    expect(window.Lona).toBe(window.lona);
    expect(typeof window.Lona.registerWidget).toBe('function');
    expect(typeof window.lona.on).toBe('function');
    expect(FakeSocket.urls).toEqual(['ws://localhost:3000/custom/ws?v=1']);
    vi.unstubAllGlobals();
  });
});
