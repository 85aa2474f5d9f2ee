/**
 * Frames a connection sends close together in time leave in one write.
 *
 * A click's `ack`, its patch batch and its `done` are three WebSocket frames; written one
 * by one they cost three `writev` system calls, the largest single cost of a round trip
 * (bench W1). The TCP socket is corked at the first frame and uncorked by one shared
 * timer for every socket: a `setImmediate` that schedules another. One would fire before
 * the lane jobs (view/lane.ts, also started by `setImmediate`) that the same turn's input
 * events queued, and their patches and `done` would miss the write of their `ack`; the
 * second runs after them. The delay is a loop iteration whose poll does not block
 * (libuv does not wait for I/O while an immediate is pending).
 */
import type { Socket } from 'node:net';

const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  for (const socket of corked) {
    // `end()` and `destroy()` already flushed or dropped what was queued.
    if (socket.writableCorked > 0) socket.uncork();
  }
  corked.clear();
}

/** Holds `socket`'s writes until the next loop iteration's immediates have run. */
export function coalesceWrites(socket: Socket): void {
  if (corked.has(socket)) return;
  corked.add(socket);
  socket.cork();
  if (!scheduled) {
    scheduled = true;
    setImmediate(() => setImmediate(uncorkAll));
  }
}
