/**
 * The frames of one input event leave in one write.
 *
 * A click's `ack`, its patch batch and its `done` are three WebSocket frames; written one
 * by one they cost three `writev` system calls, the largest single cost of a round trip
 * (bench W1). The connection corks its TCP socket before the `ack` and uncorks it right
 * after `done`, so a handler that finishes at once sends all three together. A handler
 * that takes longer must not hold the `ack` back: a timer uncorks the socket if it is
 * still corked: a `setImmediate` that schedules another. One would fire before the lane
 * jobs (view/lane.ts, also started by `setImmediate`) that the same turn's events queued;
 * the second runs after them. Its delay is a loop iteration whose poll does not block
 * (libuv does not wait for I/O while an immediate is pending).
 *
 * Other frames (patches from timers or channels, trees) are not held: a fan-out to
 * thousands of sockets would otherwise send nothing until it had built every frame.
 */
import type { Socket } from 'node:net';

/** Sockets held corked, each with the number of its hold (a later hold is a new one). */
const held = new Map<Socket, number>();
let holds = 0;

/** Holds `socket`'s writes until `flushWrites`, or until the next loop iteration's immediates ran. */
export function coalesceWrites(socket: Socket): void {
  if (held.has(socket)) return;
  const hold = ++holds;
  held.set(socket, hold);
  socket.cork();
  setImmediate(() =>
    setImmediate(() => {
      if (held.get(socket) === hold) flushWrites(socket);
    }),
  );
}

/** Writes what `coalesceWrites` held back, now. */
export function flushWrites(socket: Socket): void {
  if (!held.delete(socket)) return;
  // `end()` and `destroy()` already flushed or dropped what was queued.
  if (socket.writableCorked > 0) socket.uncork();
}
