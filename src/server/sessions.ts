/**
 * Sessions and users (SPEC §3.9): the session cookie (32 url-safe characters from a
 * CSPRNG; HttpOnly, SameSite=Lax, Path=/, Secure on HTTPS), the anonymous user bound to
 * a session key, and the user key that daemon views and event checks compare. A session
 * identifies a browser, not a login; any process accepts a well-formed key.
 */
import { randomBytes } from 'node:crypto';

const SESSION_KEY_RE = /^[A-Za-z0-9_-]{32}$/;

/** A new session key: 24 random bytes, base64url → 32 characters. */
export function newSessionKey(): string {
  return randomBytes(24).toString('base64url');
}

export function isSessionKey(value: unknown): value is string {
  return typeof value === 'string' && SESSION_KEY_RE.test(value);
}

/** The session key from a Cookie header, if present and well-formed. */
export function readSessionKey(cookieHeader: string | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  // Walks the `name=value; …` pairs by index instead of splitting the header, which would
  // make a string per cookie on every request. `eq` is the next '=' at or after `start`;
  // a pair without one is skipped, and both searches only move forward (linear time).
  let start = 0;
  let eq = cookieHeader.indexOf('=');
  while (eq >= 0) {
    let end = cookieHeader.indexOf(';', start);
    if (end < 0) end = cookieHeader.length;
    if (eq < end) {
      if (cookieHeader.slice(start, eq).trim() === name) {
        const value = cookieHeader.slice(eq + 1, end).trim();
        if (isSessionKey(value)) return value;
      }
      eq = cookieHeader.indexOf('=', end);
    }
    start = end + 1;
  }
  return null;
}

/** The Set-Cookie value for a new session. */
export function sessionCookie(name: string, key: string, secure: boolean): string {
  return `${name}=${key}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The user of a session until a middleware sets another (`request.user`). */
export class AnonymousUser {
  readonly anonymous = true;
  readonly sessionKey: string;
  constructor(sessionKey: string) {
    this.sessionKey = sessionKey;
  }
  toString(): string {
    return `AnonymousUser(${this.sessionKey.slice(0, 6)}…)`;
  }
}

/**
 * The user key: the user's `id` when it has one, else the session key (or, with SESSIONS
 * off, the connection's own id). A string, the same in every process.
 */
export function userKeyOf(user: unknown, fallback: string): string {
  const id = (user as { id?: unknown } | null)?.id;
  if (typeof id === 'string' || typeof id === 'number') return `user:${id}`;
  return `session:${fallback}`;
}
