/**
 * Password hashing for web accounts: scrypt from node:crypto, a memory-hard function.
 *
 * Why scrypt and not argon2id: both are memory-hard and recommended by OWASP; scrypt ships with
 * Node (OpenSSL), so there is no native add-on to build or prebuilt binary to fetch, and nothing to
 * go stale. The parameters are OWASP's scrypt recommendation N=2^16, r=8, p=2: 64 MiB of memory and
 * roughly 0.2–0.5 s per hash on this project's 2-core machine, which is what makes an offline guess
 * expensive.
 *
 * A stored hash names its scheme, version and parameters:
 *   $scrypt$v=1$ln=16,r=8,p=2$<salt, base64>$<key, base64>
 * so verification always uses the parameters a hash was made with, and `needsRehash` tells when the
 * current parameters differ (the login then stores a fresh hash). The key comparison is
 * constant-time (timingSafeEqual).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  /** Block size. */
  r: number;
  /** Parallelism. */
  p: number;
}

/** The parameters new hashes get (OWASP: N=2^16, r=8, p=2; 128·N·r = 64 MiB). */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 16, r: 8, p: 2 };

const VERSION = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Shortest password accepted (NIST SP 800-63B asks for at least 8; we ask a little more). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted, in bytes: enough for any passphrase, short enough that hashing stays bounded. */
export const MAX_PASSWORD_BYTES = 1024;

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  // maxmem must exceed 128·N·r, or OpenSSL refuses.
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 128 * N * params.r * 2 };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_BYTES, options, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** Why a password is not acceptable, or null when it is. Says nothing about the password itself. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) return `a password may have at most ${MAX_PASSWORD_BYTES} bytes`;
  return null;
}

/**
 * Hashes `password` with a fresh random salt.
 *
 * @example const stored = await hashPassword('correct horse battery staple');
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, params);
  return `$scrypt$v=${VERSION}$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const HASH_RE = /^\$scrypt\$v=(\d+)\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

function parseHash(stored: string): ParsedHash | null {
  const m = HASH_RE.exec(stored);
  if (!m || Number(m[1]) !== VERSION) return null;
  const params = { ln: Number(m[2]), r: Number(m[3]), p: Number(m[4]) };
  // Refuse absurd parameters from a tampered row instead of allocating gigabytes.
  if (params.ln < 1 || params.ln > 22 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return null;
  return { params, salt: Buffer.from(m[5]!, 'base64'), key: Buffer.from(m[6]!, 'base64') };
}

/**
 * True when `password` matches `stored`. An unreadable stored hash never matches. The comparison
 * of the derived keys is constant-time.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    // Spend the same effort as a real check, so the answer time does not tell what went wrong.
    await scrypt(password.slice(0, MAX_PASSWORD_BYTES), randomBytes(SALT_BYTES), DEFAULT_SCRYPT);
    return false;
  }
  const key = await scrypt(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when `stored` was made with other parameters (or scheme version) than `params`. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  return !parsed || parsed.params.ln !== params.ln || parsed.params.r !== params.r || parsed.params.p !== params.p;
}

/**
 * A hash of a random password with `params`: checked against when a login names an unknown or
 * disabled user, so that such a login costs the same time as a wrong password.
 */
export function decoyHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64'), params);
}
