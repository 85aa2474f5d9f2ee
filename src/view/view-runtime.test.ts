/**
 * The parts of ViewRuntime an idle view does not pay for until they are used (signal,
 * lane, awaits, sleeps, cleanups) behave as if they had been there from the start.
 */
import { describe, expect, it } from 'vitest';
import { UserAbort } from '../errors.js';
import { Div } from '../html/nodes/grouping.js';
import { Logger } from '../internal/logger.js';
import { Pool } from '../resources/pool.js';
import type { ThreadPool } from '../resources/thread-pool.js';
import { resolveSettings } from '../settings.js';
import type { Request } from './request.js';
import { ViewRuntime, type RuntimeHost, type ViewConnection } from './view-runtime.js';
import { View } from './view.js';

function makeRuntime(view: View = new View(), runtimeSlots = 10) {
  const stops: unknown[] = [];
  const host: RuntimeHost = {
    settings: resolveSettings(),
    logger: new Logger({ level: 'silent' }),
    pools: {
      runtime: new Pool({ name: 'runtime', size: runtimeSlots }),
      worker: new Pool({ name: 'worker', size: 10 }),
    },
    threads: {} as ThreadPool,
    renderTemplate: () => '',
    renderErrorView: async () => new Div('error'),
    onViewStop: (_runtime, reason) => stops.push(reason),
    onViewRemoved: () => {},
    onViewSettled: () => {},
    setDaemon: () => {},
  };
  const request = { matchInfo: {} } as unknown as Request;
  const runtime = new ViewRuntime({ view, request, route: null, userKey: 'u', host });
  return { runtime, host, stops };
}

const tab = (): ViewConnection & { frames: string[] } => {
  const frames: string[] = [];
  return { frames, closed: false, send: (frame) => frames.push(frame) };
};

describe('ViewRuntime', () => {
  it('aborts a signal made before the stop with the stop reason', () => {
    const { runtime } = makeRuntime();
    const signal = runtime.signal;
    const reason = new UserAbort();
    runtime.stop(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it('gives a signal first read after the stop already aborted, with the same reason', () => {
    const { runtime } = makeRuntime();
    const reason = new UserAbort();
    runtime.stop(reason);
    expect(runtime.signal.aborted).toBe(true);
    expect(runtime.signal.reason).toBe(reason);
    expect(runtime.signal).toBe(runtime.signal);
  });

  it('aborts the signal with a UserAbort after a normal stop (redirect) and a discard', () => {
    const a = makeRuntime().runtime;
    a.stop(undefined);
    expect(a.signal.reason).toBeInstanceOf(UserAbort);
    const b = makeRuntime().runtime;
    b.discard();
    expect(b.signal.aborted).toBe(true);
    expect(b.signal.reason).toBeInstanceOf(UserAbort);
  });

  it('drops jobs queued after the view was removed, even when it never had a lane', async () => {
    const { runtime } = makeRuntime();
    runtime.remove();
    let ran = false;
    expect(runtime.enqueue(() => void (ran = true))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
  });

  it('runs jobs queued while the view lives', async () => {
    const { runtime } = makeRuntime();
    const done = new Promise<void>((resolve) => runtime.enqueue(() => resolve()));
    await done;
  });

  it('runs cleanups once on removal, and at once when added afterwards', () => {
    const { runtime } = makeRuntime();
    const calls: string[] = [];
    runtime.addCleanup(() => calls.push('a'));
    runtime.remove();
    runtime.remove();
    runtime.addCleanup(() => calls.push('b'));
    expect(calls).toEqual(['a', 'b']);
  });

  it('rejects pending sleeps and awaits with the stop reason', async () => {
    let sleeping!: Promise<void>;
    let awaiting!: Promise<unknown>;
    const view = new (class extends View {
      handleRequest() {
        sleeping = this.sleep(60_000);
        awaiting = this.awaitClick();
        return new Promise<never>(() => {});
      }
    })();
    const { runtime } = makeRuntime(view);
    const running = runtime.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const reason = new UserAbort();
    runtime.stop(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(awaiting).rejects.toBe(reason);
    // run() ends when the view stops, though handleRequest never settles.
    await running;
  });

  it('shows the returned tree, then stops once with undefined', async () => {
    const view = new (class extends View {
      handleRequest() {
        return new Div('hello');
      }
    })();
    const { runtime, stops } = makeRuntime(view);
    const connection = tab();
    runtime.attach(connection);
    await runtime.run();
    expect(runtime.state).toBe('finished');
    expect(connection.frames).toHaveLength(1);
    expect(connection.frames[0]).toContain('hello');
    expect(stops).toEqual([undefined]);
  });

  it('sends to every attached tab, once each, and to none after it left', () => {
    const { runtime } = makeRuntime();
    const [a, b] = [tab(), tab()];
    runtime.attach(a);
    runtime.attach(b);
    runtime.attach(a);
    expect(runtime.connections).toEqual([a, b]);
    runtime.show(new Div('one'));
    runtime.detach(a);
    runtime.detach(a);
    runtime.sendMessage('two');
    runtime.detach(b);
    runtime.sendMessage('three');
    expect(runtime.connections).toEqual([]);
    expect(a.frames).toHaveLength(1);
    expect(b.frames).toHaveLength(2);
    expect(b.frames[1]).toContain('two');
  });

  it('lets a start queued for a runtime slot leave the queue when it is stopped', async () => {
    const { runtime: first, host } = makeRuntime(
      new (class extends View {
        handleRequest() {
          return new Promise<never>(() => {});
        }
      })(),
      1,
    );
    void first.run();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = new ViewRuntime({
      view: new View(),
      request: { matchInfo: {} } as unknown as Request,
      route: null,
      userKey: 'u',
      host,
    });
    const running = second.run();
    expect(host.pools.runtime.pending).toBe(1);
    second.stop(new UserAbort());
    expect(host.pools.runtime.pending).toBe(0);
    await running;
    expect(second.state).toBe('stopped');
    first.stop(new UserAbort());
  });
});
