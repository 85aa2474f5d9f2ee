import { describe, expect, it, vi } from 'vitest';
import { Pool } from './pool.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Pool', () => {
  describe('#acquire', () => {
    it('admits up to size at once and queues the rest in order', async () => {
      const pool = new Pool({ name: 'runtime', size: 2 });
      const order: number[] = [];
      const releases = await Promise.all([pool.acquire(), pool.acquire()]);
      const waiting = [1, 2, 3].map((n) =>
        pool.acquire().then((release) => (order.push(n), release)),
      );
      await tick();
      expect([pool.active, pool.pending]).toEqual([2, 3]);
      releases[0]!();
      await tick();
      expect(order).toEqual([1]);
      releases[1]!();
      await tick();
      expect(order).toEqual([1, 2]);
      expect([pool.active, pool.pending]).toEqual([2, 1]);
      (await waiting[0]!)();
      await tick();
      expect(order).toEqual([1, 2, 3]);
    });

    it('hands a released slot to the oldest waiter, not to a newcomer', async () => {
      const pool = new Pool({ name: 'worker', size: 1 });
      const release = await pool.acquire();
      const got: string[] = [];
      void pool.acquire().then((r) => (got.push('old'), r()));
      release();
      void pool.acquire().then((r) => (got.push('new'), r()));
      await tick();
      expect(got).toEqual(['old', 'new']);
    });

    it('treats a second release as a no-op', async () => {
      const pool = new Pool({ name: 'http', size: 1 });
      const release = await pool.acquire();
      release();
      release();
      expect(pool.active).toBe(0);
      const again = await pool.acquire();
      expect(pool.active).toBe(1);
      again();
    });

    it('rejects with the abort reason when the signal fires while queued, and leaves the queue at once', async () => {
      const pool = new Pool({ name: 'runtime', size: 1 });
      const release = await pool.acquire();
      const controller = new AbortController();
      const waiting = pool.acquire({ signal: controller.signal });
      expect(pool.pending).toBe(1);
      const reason = new Error('tab closed');
      controller.abort(reason);
      await expect(waiting).rejects.toBe(reason);
      expect(pool.pending).toBe(0);
      release();
      expect(pool.active).toBe(0);
    });

    it('rejects at once when the signal is already aborted', async () => {
      const pool = new Pool({ name: 'runtime', size: 1 });
      await expect(pool.acquire({ signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
      expect(pool.active).toBe(0);
    });

    it('rejects past the queue bound with LONA_ERR_POOL_QUEUE_FULL and counts it', async () => {
      const pool = new Pool({ name: 'http', size: 1, maxQueued: 1 });
      const release = await pool.acquire();
      const queued = pool.acquire();
      await expect(pool.acquire()).rejects.toMatchObject({ code: 'LONA_ERR_POOL_QUEUE_FULL' });
      expect(pool.rejected).toBe(1);
      release();
      (await queued)();
    });

    it('rejects a waiter after maxWaitMs with LONA_ERR_POOL_QUEUE_TIMEOUT', async () => {
      vi.useFakeTimers();
      try {
        const pool = new Pool({ name: 'static', size: 1, maxWaitMs: 50 });
        const release = await pool.acquire();
        const waiting = pool.acquire();
        const assertion = expect(waiting).rejects.toMatchObject({
          code: 'LONA_ERR_POOL_QUEUE_TIMEOUT',
        });
        vi.advanceTimersByTime(60);
        await assertion;
        expect(pool.pending).toBe(0);
        expect(pool.rejected).toBe(1);
        release();
      } finally {
        vi.useRealTimers();
      }
    });

    it('lets one call set its own maxWaitMs (a pool without a limit, as the worker pool)', async () => {
      vi.useFakeTimers();
      try {
        const pool = new Pool({ name: 'worker', size: 1 });
        const release = await pool.acquire();
        const unbounded = pool.acquire();
        const bounded = pool.acquire({ maxWaitMs: 50 });
        const assertion = expect(bounded).rejects.toMatchObject({
          code: 'LONA_ERR_POOL_QUEUE_TIMEOUT',
          params: { pool: 'worker', ms: 50 },
        });
        vi.advanceTimersByTime(60);
        await assertion;
        expect(pool.pending).toBe(1);
        expect(pool.rejected).toBe(1);
        release();
        (await unbounded)();
      } finally {
        vi.useRealTimers();
      }
    });
  });

  describe('#tryAcquire', () => {
    it('takes a free slot at once and counts it as an admission with a zero wait', () => {
      const pool = new Pool({ name: 'http', size: 2 });
      const release = pool.tryAcquire();
      expect(release).toBeTypeOf('function');
      expect([pool.active, pool.admitted, pool.pending]).toEqual([1, 1, 0]);
      expect(pool.waitPercentiles()).toEqual({ p50: 0, p99: 0, max: 0 });
      release!();
      release!();
      expect(pool.active).toBe(0);
    });

    it('gives null when every slot is held, and counts nothing', async () => {
      const pool = new Pool({ name: 'http', size: 1 });
      const release = await pool.acquire();
      expect(pool.tryAcquire()).toBeNull();
      expect([pool.active, pool.admitted, pool.rejected, pool.pending]).toEqual([1, 1, 0, 0]);
      release();
    });

    it('never overtakes queued waiters, even when a slot is about to be handed over', async () => {
      const pool = new Pool({ name: 'http', size: 1 });
      const release = await pool.acquire();
      const order: string[] = [];
      const waiting = pool.acquire().then((r) => (order.push('queued'), r));
      expect(pool.tryAcquire()).toBeNull();
      release();
      // The slot went straight to the waiter: still none for a newcomer.
      expect(pool.tryAcquire()).toBeNull();
      (await waiting)();
      expect(order).toEqual(['queued']);
      const again = pool.tryAcquire();
      expect(again).toBeTypeOf('function');
      again!();
      expect([pool.active, pool.admitted, pool.rejected]).toEqual([0, 3, 0]);
    });

    it('leaves acquire() unchanged: a free slot still resolves, a full pool still queues', async () => {
      const pool = new Pool({ name: 'http', size: 1, maxQueued: 0 });
      const held = pool.tryAcquire()!;
      await expect(pool.acquire()).rejects.toMatchObject({ code: 'LONA_ERR_POOL_QUEUE_FULL' });
      expect(pool.rejected).toBe(1);
      held();
      (await pool.acquire())();
      expect([pool.active, pool.admitted]).toEqual([0, 2]);
    });
  });

  describe('#run', () => {
    it('releases the slot when the job throws', async () => {
      const pool = new Pool({ name: 'worker', size: 1 });
      await expect(pool.run(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
      expect(pool.active).toBe(0);
      expect(await pool.run(() => 7)).toBe(7);
      expect(pool.admitted).toBe(2);
    });
  });

  describe('#onIdle', () => {
    it('resolves when the last slot is released and nobody waits', async () => {
      const pool = new Pool({ name: 'worker', size: 1 });
      const release = await pool.acquire();
      let idle = false;
      void pool.onIdle().then(() => (idle = true));
      await tick();
      expect(idle).toBe(false);
      release();
      await tick();
      expect(idle).toBe(true);
    });
  });

  it('reports wait-time percentiles', async () => {
    const pool = new Pool({ name: 'worker', size: 1 });
    await pool.run(() => undefined);
    const stats = pool.waitPercentiles();
    expect(stats.p50).toBe(0);
    expect(stats.max).toBeGreaterThanOrEqual(0);
  });

  it('refuses a size below 1', () => {
    expect(() => new Pool({ name: 'x', size: 0 })).toThrow(/size ≥ 1/);
  });
});
