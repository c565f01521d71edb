/**
 * Session tokens: 256 random bits, sent to the browser once in the session cookie; the store keeps
 * only their SHA-256, so reading the store gives no usable cookie. (A fast hash is right here: the
 * token is random, not guessable like a password.)
 */
import { createHash, randomBytes } from 'node:crypto';

/** The cookie holding the session token. */
export const SESSION_COOKIE = 'steward_session';
/** The cookie holding the CSRF secret (@fastify/csrf-protection). */
export const CSRF_COOKIE = 'steward_csrf';

/** A new random session token (base64url, 43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the store keeps of a token. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** A cookie value that can be a token at all (anything else is not looked up). */
export function looksLikeToken(v: string | undefined): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{43}$/.test(v);
}
