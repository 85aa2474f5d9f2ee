import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coalesceWrites, flushWrites } from './write-coalescing.js';

let server: Server;
let sender: Socket;
let chunks: string[];

beforeEach(async () => {
  chunks = [];
  server = createServer((socket) => {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => chunks.push(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  sender = connect(port, '127.0.0.1');
  sender.setNoDelay(true);
  await new Promise<void>((resolve) => sender.once('connect', resolve));
});

afterEach(async () => {
  sender.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const received = async (text: string) => {
  for (let i = 0; i < 100 && chunks.join('') !== text; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('coalesceWrites', () => {
  it('holds the writes of a turn and sends them in one go', async () => {
    coalesceWrites(sender);
    sender.write('ack;');
    await Promise.resolve(); // a microtask later, as `done` after an awaited handler
    coalesceWrites(sender);
    sender.write('patch;');
    sender.write('done;');
    expect(sender.writableLength).toBe('ack;patch;done;'.length);
    await turn();
    await turn();
    await received('ack;patch;done;');
    expect(chunks).toEqual(['ack;patch;done;']);
  });

  it('sends what it held at once on flushWrites, and the timer then leaves a later hold alone', async () => {
    coalesceWrites(sender);
    sender.write('ack;');
    sender.write('done;');
    flushWrites(sender);
    expect(sender.writableCorked).toBe(0);
    await received('ack;done;');
    expect(chunks).toEqual(['ack;done;']);
    await turn();
    coalesceWrites(sender); // the next event, before the first hold's timer fired
    sender.write('ack2;');
    await turn(); // the first hold's timer fires now: this hold is not its to end
    expect(sender.writableCorked).toBe(1);
    sender.write('done2;');
    flushWrites(sender);
    await received('ack;done;ack2;done2;');
    expect(chunks.slice(1)).toEqual(['ack2;done2;']);
  });

  it('lets the socket go after two turns, and corks again in a later one', async () => {
    coalesceWrites(sender);
    sender.write('one;');
    await turn();
    await turn();
    expect(sender.writableCorked).toBe(0);
    await received('one;');
    coalesceWrites(sender);
    sender.write('two;');
    expect(sender.writableCorked).toBe(1);
    await turn();
    await turn();
    await received('one;two;');
    expect(chunks.join('')).toBe('one;two;');
  });

  it('leaves a socket that was ended or destroyed meanwhile alone', async () => {
    coalesceWrites(sender);
    sender.write('last;');
    sender.end();
    await turn();
    await turn();
    await received('last;');
    expect(chunks.join('')).toBe('last;');
    expect(sender.writableCorked).toBe(0);
  });
});
