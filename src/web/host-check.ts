/**
 * DNS-rebinding protection for a server open for reading (`steward serve` without `--auth`). A web
 * page elsewhere can point its own host name at 127.0.0.1 and then read the API as if it were the
 * same site; the only trace of that is the `Host` header, which names the page's host. So only the
 * names the server is meant to be reached by are answered: loopback names, the `--host` value, the
 * machine's own name, the public URL(s) from the configuration, and IP addresses (a page can only
 * send an IP address as its host when it was itself loaded from that address, which is no attack).
 * Anything else gets 421 Misdirected Request with a body that says what to do.
 */
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';

export interface HostCheckOptions {
  /** The address the server listens on (`--host`): a name here is accepted too. */
  listenHost: string;
  /** Public URLs the server is reached by (steward.yaml `web.publicUrl`), e.g. behind a proxy. */
  publicUrls?: readonly string[];
  /** Other names to accept, e.g. the machine's host name. */
  names?: readonly string[];
}

/** The host names (lower case, no port, no trailing dot) a request may name. */
export function allowedHostNames(o: HostCheckOptions): Set<string> {
  const names = new Set(['localhost']);
  const add = (n: string | undefined): void => {
    const h = n ? normaliseHostName(n) : '';
    if (h) names.add(h);
  };
  add(o.listenHost);
  for (const n of o.names ?? []) add(n);
  for (const u of o.publicUrls ?? []) {
    try {
      add(new URL(u).hostname);
    } catch {
      // The configuration schema checks the URLs; a bad one here adds nothing.
    }
  }
  return names;
}

function normaliseHostName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
}

/** The host name of a `Host` header (`example.org:7878`, `[::1]:7878`), or null when it has none. */
export function hostNameOf(header: string | undefined): string | null {
  if (!header) return null;
  const h = header.trim();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 1 ? normaliseHostName(h.slice(1, end)) : null;
  }
  // A bare IPv6 address has several colons and no port; a name or IPv4 address at most one.
  const colons = h.split(':').length - 1;
  const name = colons === 1 ? h.slice(0, h.indexOf(':')) : h;
  return name ? normaliseHostName(name) : null;
}

/** Whether a request naming `header` as its host is one this server answers. */
export function isAllowedHost(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  const name = hostNameOf(header);
  if (!name) return false;
  return allowed.has(name) || name.endsWith('.localhost') || isIP(name) !== 0;
}

/**
 * Registers the check as the first `onRequest` hook of `app`: a request whose `Host` is not allowed
 * is answered 421 (400 without a `Host`) before any route, page or asset sees it.
 */
export function registerHostCheck(app: FastifyInstance, allowed: ReadonlySet<string>): void {
  const known = [...allowed].sort().join(', ');
  app.addHook('onRequest', async (req, reply) => {
    const header = req.headers.host;
    if (isAllowedHost(header, allowed)) return;
    const status = header ? 421 : 400;
    const message = header
      ? `this Steward server does not answer to the host name "${hostNameOf(header) ?? header}": it answers to ${known}, *.localhost and IP addresses, so that a web page elsewhere cannot read it by pointing its own name at this machine (DNS rebinding)`
      : 'the request has no Host header';
    const hint = 'Reach it by one of those names, or set web.publicUrl in steward.yaml to the URL it is reached by (or serve with --auth).';
    reply.code(status);
    if (req.url.startsWith('/api/')) return reply.type('application/json; charset=utf-8').send({ error: { code: 'USAGE', message, hint } });
    return reply.type('text/plain; charset=utf-8').send(`${message}.\n${hint}\n`);
  });
}
