import { describe, expect, it } from 'vitest';
import type { EncodedMessage } from './message.js';
import { OwnMessageOrder } from './own-message-order.js';

function message(text: string, local = false): EncodedMessage {
  return { topic: 't', text: JSON.stringify(text), expiresAt: undefined, local };
}

function order() {
  const released: string[] = [];
  const own = new OwnMessageOrder((m) => released.push(JSON.parse(m.text) as string));
  return { own, released };
}

describe('OwnMessageOrder', () => {
  it('releases a local message at once when nothing sent before it is awaited', () => {
    const { own, released } = order();
    own.local(message('local', true));
    expect(released).toEqual(['local']);
    expect(own.pending).toBe(0);
  });

  it('holds local messages behind a shared one until it comes back, then keeps send order', () => {
    const { own, released } = order();
    const first = own.sent(message('shared 1'));
    own.local(message('local 1', true));
    const second = own.sent(message('shared 2'));
    own.local(message('local 2', true));
    expect(released).toEqual([]);
    expect(own.returned(first)).toBe(true);
    expect(released).toEqual(['shared 1', 'local 1']);
    expect(own.returned(second)).toBe(true);
    expect(released).toEqual(['shared 1', 'local 1', 'shared 2', 'local 2']);
    expect(own.pending).toBe(0);
  });

  it('drops shared messages that did not come back before a later one did', () => {
    const { own, released } = order();
    own.sent(message('lost'));
    own.local(message('local', true));
    const kept = own.sent(message('kept'));
    expect(own.returned(kept)).toBe(true);
    expect(released).toEqual(['local', 'kept']);
    expect(own.pending).toBe(0);
  });

  it('releases the local messages behind a lost shared one', () => {
    const { own, released } = order();
    const lost = own.sent(message('lost'));
    own.local(message('local', true));
    const awaited = own.sent(message('awaited'));
    own.local(message('after', true));
    own.lost(lost);
    expect(released).toEqual(['local']);
    own.lost(awaited);
    expect(released).toEqual(['local', 'after']);
  });

  it('releases every held local message and forgets the rest when nothing will come back', () => {
    const { own, released } = order();
    const first = own.sent(message('shared'));
    own.local(message('local 1', true));
    own.sent(message('shared 2'));
    own.local(message('local 2', true));
    own.loseAll();
    expect(released).toEqual(['local 1', 'local 2']);
    expect(own.returned(first)).toBe(false);
    expect(released).toEqual(['local 1', 'local 2']);
  });

  it('ignores a sequence number it does not await, and a local one', () => {
    const { own, released } = order();
    own.sent(message('shared'));
    own.local(message('local', true));
    expect(own.returned(99)).toBe(false);
    expect(own.returned(2)).toBe(false);
    expect(released).toEqual([]);
  });

  it('forgets everything without releasing on clear', () => {
    const { own, released } = order();
    own.sent(message('shared'));
    own.local(message('local', true));
    own.clear();
    expect(own.pending).toBe(0);
    expect(released).toEqual([]);
  });
});
