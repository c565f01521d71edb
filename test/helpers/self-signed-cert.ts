/**
 * A self-signed certificate for localhost, for the tests of how a TLS failure is reported (the
 * REST client's and `steward sync`'s). Made with the openssl command line (an EC P-256 key, valid
 * for a day) once per test run: under scripts/run-tests.mjs the key and certificate are kept in the
 * run's cache folder (STEWARD_TEST_RUN_CACHE) and every later file reads them; a file run alone
 * makes its own, once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyAndCert {
  key: Buffer;
  cert: Buffer;
}

/** Why the certificate tests are skipped, or false: they can run (openssl is on the PATH). */
export const OPENSSL_SKIP_REASON: string | false = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return false;
  } catch {
    return 'openssl CLI not available to make a certificate';
  }
})();

let made: KeyAndCert | undefined;

/** The run's self-signed key and certificate for CN=localhost (made on first use). */
export function selfSignedCert(): KeyAndCert {
  if (made) return made;
  const runCache = process.env.STEWARD_TEST_RUN_CACHE;
  const dir = runCache ? join(runCache, 'tls') : undefined;
  if (dir && existsSync(join(dir, 'cert.pem'))) return (made = read(dir));
  const work = mkdtempSync(join(runCache ?? tmpdir(), 'steward-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(work, 'key.pem'),
        '-out',
        join(work, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    made = read(work);
    if (dir && !existsSync(dir)) {
      // Published whole by a rename: another file reading at the same time sees both files or neither.
      mkdirSync(runCache!, { recursive: true });
      try {
        renameSync(work, dir);
      } catch {
        // another file published first; its pair is as good
      }
    }
    return made;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function read(dir: string): KeyAndCert {
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
}
