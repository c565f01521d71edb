/**
 * Sealing the texts of embargoed items at rest: AES-256-GCM from node:crypto, a fresh 96-bit nonce
 * per text, the row it belongs to as associated data (a sealed text moved to another row does not
 * open). The key is 32 bytes from the caller (cli/security-key.ts reads it from the environment or
 * a 0600 key file); it is never stored. Only a key id — a hash of the key, telling a wrong key from
 * the right one — is kept, in the `meta` table.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { StewardError } from '../model/errors.js';

const VERSION = 'v1';

export interface SecretBox {
  /** A short hash of the key (not the key): which key sealed a text. */
  readonly keyId: string;
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/** The key id of a 32-byte key: 16 hex digits of SHA-256 over a label and the key. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('steward-security-key-id\0').update(key).digest('hex').slice(0, 16);
}

/**
 * A box for `key` (32 bytes). `open` throws SECURITY_KEY when a text was sealed with another key
 * or does not authenticate (changed in the store).
 *
 * @example const box = secretBox(randomBytes(32)); box.open(box.seal('text', 'item 1'), 'item 1') // 'text'
 */
export function secretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new StewardError('SECURITY_KEY', `the security key must be 32 bytes, not ${key.length}`);
  const keyId = keyIdOf(key);
  const k = Buffer.from(key);
  return {
    keyId,
    seal(plain, context) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', k, iv);
      c.setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return [VERSION, keyId, iv.toString('base64url'), c.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
    },
    open(sealed, context) {
      const [v, id, iv, tag, ct] = sealed.split('.');
      if (v !== VERSION || !id || iv === undefined || tag === undefined || ct === undefined)
        throw new StewardError('SECURITY_KEY', `a sealed text of ${context} is not in the ${VERSION} format`);
      if (id !== keyId)
        throw new StewardError('SECURITY_KEY', `${context} was sealed with key ${id}, not with the key given (${keyId})`, {
          hint: 'Give the key the store was sealed with (STEWARD_SECURITY_KEY or STEWARD_SECURITY_KEY_FILE), or finish a `steward security rotate-key`.',
        });
      try {
        const d = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
        d.setAAD(Buffer.from(context, 'utf8'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
      } catch (e) {
        throw new StewardError(
          'SECURITY_KEY',
          `the sealed text of ${context} does not authenticate: it was changed in the store`,
          {},
          { cause: e },
        );
      }
    },
  };
}
