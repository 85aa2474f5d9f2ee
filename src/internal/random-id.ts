/**
 * Random ids (view ids, connection ids) from the CSPRNG, base64url-encoded. A view open
 * needs two; one `randomBytes()` call per id costs a native call and a Buffer each, so
 * bytes are drawn 4 KiB at a time and every byte is used for one id only. The bytes are
 * the same CSPRNG output `randomBytes()` gives (SPEC §7: 128-bit random view ids).
 */
import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
/** Bytes of `pool` already handed out; the pool is refilled when too few remain. */
let used = POOL_BYTES;

/** `bytes` fresh random bytes (at most 4096) as a base64url string. */
export function randomId(bytes: number): string {
  if (bytes > POOL_BYTES) throw new RangeError(`randomId: at most ${POOL_BYTES} bytes`);
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return id;
}
