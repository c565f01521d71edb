/**
 * Gerrit HTTP credentials. Never from argv or steward.yaml: from the environment
 * (STEWARD_GERRIT_USERNAME + STEWARD_GERRIT_PASSWORD) or from a credentials file in netrc format
 * (`machine review.opendev.org login alice password …`, the format curl and git use), named by
 * --credentials or STEWARD_CREDENTIALS, which must be readable by its owner only (mode 0600).
 * The password is never printed, logged or put in an error.
 */
import { readFileSync, statSync } from 'node:fs';
import { StewardError } from '../model/errors.js';

export interface Credentials {
  username: string;
  password: string;
  /** Where they came from, for messages (never the secret itself). */
  source: string;
}

export interface CredentialEnv {
  STEWARD_GERRIT_USERNAME?: string;
  STEWARD_GERRIT_PASSWORD?: string;
  STEWARD_CREDENTIALS?: string;
}

/** Parses netrc text into machine → login/password (the `default` entry under the key ''). */
export function parseNetrc(text: string): Map<string, { login?: string; password?: string }> {
  const out = new Map<string, { login?: string; password?: string }>();
  const tokens = text.replace(/#.*$/gm, '').split(/\s+/).filter(Boolean);
  let current: { login?: string; password?: string } | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === 'machine') {
      current = {};
      out.set(tokens[++i] ?? '', current);
    } else if (t === 'default') {
      current = {};
      out.set('', current);
    } else if (t === 'login' && current) current.login = tokens[++i];
    else if (t === 'password' && current) current.password = tokens[++i];
    else if (t === 'account' || t === 'macdef') i++;
  }
  return out;
}

/**
 * The text of a secrets file (`what` names it in messages: "credentials file"), refused when it
 * cannot be read or when others may read it (any group or other permission bit): SOURCE_AUTH,
 * naming the file, with the chmod that fixes it.
 */
export function readPrivateFile(path: string, what: string): string {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new StewardError(
      'SOURCE_AUTH',
      `cannot read the ${what}: ${(e as { code?: string }).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      { where: path },
    );
  }
  if ((st.mode & 0o077) !== 0) {
    throw new StewardError(
      'SOURCE_AUTH',
      `the ${what} is readable by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}); refusing to use it`,
      { where: path, hint: `Run: chmod 600 ${path}` },
    );
  }
  return readFileSync(path, 'utf8');
}

/**
 * Credentials for `hostName` (the Gerrit server's host name, e.g. review.opendev.org), or null for
 * anonymous access.
 */
export function loadCredentials(hostName: string, file: string | undefined, env: CredentialEnv): Credentials | null {
  const path = file ?? env.STEWARD_CREDENTIALS;
  if (path) {
    const entries = parseNetrc(readPrivateFile(path, 'credentials file'));
    const e = entries.get(hostName) ?? entries.get('');
    if (!e) return null;
    if (!e.login || !e.password) {
      throw new StewardError('SOURCE_AUTH', `the entry for ${hostName} needs both login and password`, {
        where: path,
        hint: `Write: machine ${hostName} login USER password HTTP-PASSWORD`,
      });
    }
    return { username: e.login, password: e.password, source: `${path} (machine ${hostName})` };
  }
  if (env.STEWARD_GERRIT_PASSWORD !== undefined || env.STEWARD_GERRIT_USERNAME !== undefined) {
    if (!env.STEWARD_GERRIT_USERNAME || !env.STEWARD_GERRIT_PASSWORD) {
      throw new StewardError(
        'SOURCE_AUTH',
        'set both STEWARD_GERRIT_USERNAME and STEWARD_GERRIT_PASSWORD, or neither for anonymous access',
      );
    }
    return {
      username: env.STEWARD_GERRIT_USERNAME,
      password: env.STEWARD_GERRIT_PASSWORD,
      source: 'STEWARD_GERRIT_USERNAME/STEWARD_GERRIT_PASSWORD',
    };
  }
  return null;
}

/**
 * Where a Gerrit sync (ingest/gerrit-sync.ts) gets its credentials: read here, at the entry point,
 * per machine when its sync starts; and what a refused user is told about giving them.
 */
export function gerritCredentialSource(
  credentialsFile: string | undefined,
  env: CredentialEnv,
): { credentials: (machine: string) => Credentials | null; authHint: (machine: string) => string } {
  return {
    credentials: (machine) => loadCredentials(machine, credentialsFile, env),
    // The client cannot know where Steward reads credentials from; without this the user is not told how to give them.
    authHint: (machine) =>
      'Set STEWARD_GERRIT_USERNAME and STEWARD_GERRIT_PASSWORD (a Gerrit HTTP password: Settings → HTTP Credentials), ' +
      `or put "machine ${machine} login USER password HTTP-PASSWORD" in a file with mode 0600 named by --credentials or STEWARD_CREDENTIALS.`,
  };
}
