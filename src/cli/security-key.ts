/**
 * The security key (docs/security.md, "Encryption"): 32 bytes, as 64 hex digits or base64, from
 * STEWARD_SECURITY_KEY or from the file named by STEWARD_SECURITY_KEY_FILE, which must be readable
 * by its owner only (mode 0600). Never from the command line, the config or the store.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { StewardError } from '../model/errors.js';
import { secretBox, type SecretBox } from '../store/secret-box.js';

/** Decodes a key's text: 64 hex digits, or base64 of 32 bytes. */
export function decodeKey(text: string, where: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  if (!key || key.length !== 32)
    throw new StewardError('SECURITY_KEY', `${where} does not hold a 32-byte key (64 hex digits or base64)`, {
      hint: 'Make one with `steward security new-key --out FILE`.',
    });
  return key;
}

/** Reads a key file, refusing one that others can read. */
export function readKeyFile(path: string): Buffer {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new StewardError('SECURITY_KEY', `the key file ${path} cannot be read`, {}, { cause: e });
  }
  if ((st.mode & 0o077) !== 0)
    throw new StewardError(
      'SECURITY_KEY',
      `the key file ${path} is readable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); refusing to use it`,
      {
        hint: `Run: chmod 600 ${path}`,
      },
    );
  return decodeKey(readFileSync(path, 'utf8'), `the key file ${path}`);
}

/**
 * The box for the key named by `prefix` in `env` (`STEWARD_SECURITY_KEY` or `…_FILE`), or null
 * when neither is set.
 */
export function securityBoxFrom(env: Record<string, string | undefined>, prefix = 'STEWARD_SECURITY_KEY'): SecretBox | null {
  const inline = env[prefix];
  const file = env[`${prefix}_FILE`];
  if (inline && file) throw new StewardError('SECURITY_KEY', `set ${prefix} or ${prefix}_FILE, not both`);
  if (inline) return secretBox(decodeKey(inline, prefix));
  if (file) return secretBox(readKeyFile(file));
  return null;
}

/** Writes a new random key to `path` with mode 0600; refuses to overwrite. Returns its key id. */
export function writeNewKey(path: string): string {
  const key = randomBytes(32);
  try {
    writeFileSync(path, key.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw new StewardError('SECURITY_KEY', `cannot write a new key to ${path} (it must not exist yet)`, {}, { cause: e });
  }
  return secretBox(key).keyId;
}
