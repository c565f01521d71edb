/**
 * Launchpad OAuth 1.0 access tokens (for private bugs), kept like the Gerrit credentials
 * (credentials.ts): never from argv or steward.yaml. From the environment
 * (STEWARD_LAUNCHPAD_TOKEN + STEWARD_LAUNCHPAD_TOKEN_SECRET, optionally STEWARD_LAUNCHPAD_CONSUMER,
 * default "steward"), or from a credentials file in the format launchpadlib writes
 *
 *     [1]
 *     consumer_key = steward
 *     consumer_secret =
 *     access_token = …
 *     access_secret = …
 *
 * named by --credentials or STEWARD_LAUNCHPAD_CREDENTIALS, readable by its owner only (mode 0600).
 * Neither the token nor its secret is ever printed, logged or put in an error.
 */
import { StewardError } from '../model/errors.js';
import type { LaunchpadToken } from '../sources/launchpad/launchpad-client.js';
import { readPrivateFile } from './credentials.js';

export interface LaunchpadCredentialEnv {
  STEWARD_LAUNCHPAD_TOKEN?: string;
  STEWARD_LAUNCHPAD_TOKEN_SECRET?: string;
  STEWARD_LAUNCHPAD_CONSUMER?: string;
  STEWARD_LAUNCHPAD_CREDENTIALS?: string;
}

/** The token to sign with and where it came from (never the secret), or null for anonymous access. */
export function loadLaunchpadToken(
  file: string | undefined,
  env: LaunchpadCredentialEnv,
): { token: LaunchpadToken; source: string } | null {
  const path = file ?? env.STEWARD_LAUNCHPAD_CREDENTIALS;
  if (path) {
    const values = new Map<string, string>();
    for (const line of readPrivateFile(path, 'Launchpad credentials file').split('\n')) {
      const m = /^\s*([a-z_]+)\s*[=:]\s*(.*?)\s*$/.exec(line);
      if (m) values.set(m[1]!, m[2]!);
    }
    const token = values.get('access_token');
    const secret = values.get('access_secret');
    if (!token || !secret)
      throw new StewardError('SOURCE_AUTH', 'the Launchpad credentials file needs access_token and access_secret', {
        where: path,
        hint: 'Write it as launchpadlib does: lines "consumer_key = …", "access_token = …", "access_secret = …".',
      });
    return { token: { consumerKey: values.get('consumer_key') || 'steward', token, tokenSecret: secret }, source: path };
  }
  if (env.STEWARD_LAUNCHPAD_TOKEN !== undefined || env.STEWARD_LAUNCHPAD_TOKEN_SECRET !== undefined) {
    if (!env.STEWARD_LAUNCHPAD_TOKEN || !env.STEWARD_LAUNCHPAD_TOKEN_SECRET)
      throw new StewardError(
        'SOURCE_AUTH',
        'set both STEWARD_LAUNCHPAD_TOKEN and STEWARD_LAUNCHPAD_TOKEN_SECRET, or neither for anonymous access',
      );
    return {
      token: {
        consumerKey: env.STEWARD_LAUNCHPAD_CONSUMER || 'steward',
        token: env.STEWARD_LAUNCHPAD_TOKEN,
        tokenSecret: env.STEWARD_LAUNCHPAD_TOKEN_SECRET,
      },
      source: 'STEWARD_LAUNCHPAD_TOKEN/STEWARD_LAUNCHPAD_TOKEN_SECRET',
    };
  }
  return null;
}
