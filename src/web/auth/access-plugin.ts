/**
 * Access control for `steward serve`, as one Fastify plugin that buildApp registers first.
 *
 * With `enabled: false` (no --auth) it only says so: every request is anonymous, reading is open,
 * and the routes that change data refuse (they ask `app.access.require`).
 *
 * With `enabled: true` (--auth):
 * - Sessions: a random token in the `steward_session` cookie (HttpOnly, Secure, SameSite=Lax,
 *   Path=/), only its SHA-256 in the store. A session ends at its absolute expiry (default 12 h
 *   after login), after the idle timeout (default 2 h without a request), at logout, or when the
 *   user is disabled or its password changes.
 * - Every request but the public ones (the login page and static files) needs a signed-in user
 *   allowed to read: pages redirect to /login, the API answers 401.
 * - CSRF: every request with a method that can change something (POST, PUT, PATCH, DELETE), the
 *   login form included, must carry a token (form field `_csrf` or header `X-CSRF-Token`) made by
 *   @fastify/csrf-protection from a secret in its own cookie and bound by HMAC to the session (or
 *   to "anonymous" before login), else 403.
 * - Login: @fastify/rate-limit allows 10 attempts a minute per address; 5 wrong passwords for one
 *   name within 15 minutes lock that name for the rest of the 15 minutes (login-limiter.ts).
 * - Audit: logins, failed logins, logouts and refusals go to the audit log (never a password).
 */
import { randomBytes } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Store } from '../../store/engine.js';
import { findSession, type AuditEvent } from '../../store/users-store.js';
import { directWebWrites, type WebWrites } from '../../store/web-writes.js';
import { authorize, type Action, type AuthUser, type Resource } from './authorize.js';
import { plainPage, refusalBody, safeNext, wantsHtml, type PageRenderer } from './auth-pages.js';
import { LoginLimiter } from './login-limiter.js';
import { loginRoutes } from './login-routes.js';
import type { ScryptParams } from './password.js';
import { CSRF_COOKIE, SESSION_COOKIE, hashSessionToken, looksLikeToken } from './session-token.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** last_seen_at is written at most this often per session (each write is a store write). */
const TOUCH_EVERY_MS = 5 * 60_000;

export interface AccessOptions {
  /** --auth: accounts, sessions, roles. Without it reading is open and changes are refused. */
  enabled: boolean;
  store: Store;
  /**
   * Where sessions and audit lines are written (store/web-writes.ts): `steward serve` passes its own
   * connection, so that they do not move the data version; default: the store's connection.
   */
  writes?: WebWrites;
  clock: () => number;
  /** Absolute session lifetime (default 12 h). */
  sessionTtlMs?: number;
  /** Idle timeout (default 2 h). */
  idleTtlMs?: number;
  /** The Secure cookie attribute (default true; browsers accept it on http://localhost and 127.0.0.1). */
  secureCookies?: boolean;
  /** Parameters of new password hashes (tests use cheaper ones). */
  hashParams?: ScryptParams;
  /** Login attempts per address per minute (default 10). */
  loginAttemptsPerMinute?: number;
  /** Wrong passwords for one name before it is locked for `lockoutMs` (default 5 in 15 minutes). */
  loginFailuresPerName?: number;
  lockoutMs?: number;
  /** Paths served without signing in, by prefix (the login page is always public). */
  publicPrefixes?: readonly string[];
  /** The site's layout for the login and refusal pages. */
  page?: PageRenderer;
}

/** What routes ask of access control (`app.access`). */
export interface Access {
  readonly enabled: boolean;
  /**
   * A preHandler that lets the request through only when its user may do `action` to `resource`:
   * else 403 (no --auth, or not allowed) or 401 / a redirect to the login page (not signed in).
   */
  require(action: Action, resource: Resource): preHandlerAsyncHookHandler;
  /** A CSRF token for a form on the page being rendered. */
  csrfToken(request: FastifyRequest, reply: FastifyReply): string;
  /** Records a security-relevant event. */
  audit(request: FastifyRequest, e: Pick<AuditEvent, 'event' | 'subject' | 'outcome' | 'detail'>): Promise<void>;
  /** Renders a page (body without its title) in the site's layout. */
  page: PageRenderer;
}

declare module 'fastify' {
  interface FastifyInstance {
    access: Access;
  }
  interface FastifyRequest {
    /** The signed-in user, or null. */
    user: AuthUser | null;
    /** The SHA-256 of the session token, or null. */
    sessionHash: string | null;
  }
}

async function access(app: FastifyInstance, o: AccessOptions): Promise<void> {
  const render = o.page ?? plainPage;
  const sessionTtl = o.sessionTtlMs ?? 12 * 3_600_000;
  const idleTtl = o.idleTtlMs ?? 2 * 3_600_000;
  const secure = o.secureCookies ?? true;
  const publicPrefixes = ['/login', ...(o.publicPrefixes ?? [])];

  app.decorateRequest('user', null);
  app.decorateRequest('sessionHash', null);

  const page = render;
  const writes = o.writes ?? directWebWrites(o.store);

  const audit: Access['audit'] = async (request, e) => {
    await writes.appendAudit({
      at: o.clock(),
      actorId: request.user?.id ?? null,
      actor: request.user?.name ?? null,
      ip: request.ip,
      ...e,
    });
  };

  const refuse = async (request: FastifyRequest, reply: FastifyReply, status: 401 | 403, reason: string): Promise<FastifyReply> => {
    const back =
      request.method === 'GET'
        ? request.url
        : request.headers.referer
          ? safeNext(new URL(request.headers.referer, 'http://x').pathname)
          : '/';
    if (status === 401 && request.method === 'GET' && wantsHtml(request))
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
    reply.code(status);
    if (!wantsHtml(request))
      return reply.send({ error: { status, code: status === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN', message: reason } });
    const title = status === 401 ? 'Sign in first' : 'Not allowed';
    return reply.type('text/html; charset=utf-8').send(page(request, title, refusalBody({ status, reason, login: status === 401, back })));
  };

  // Forms post urlencoded bodies (also without --auth, so that a refused change is refused, not misunderstood).
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });

  if (!o.enabled) {
    app.decorate('access', {
      enabled: false,
      require: () => async (request, reply) => {
        await refuse(
          request,
          reply,
          403,
          'Changing data from the browser needs accounts: start the server with `steward serve --auth` and sign in (see docs/web.md, "Access control").',
        );
      },
      csrfToken: () => '',
      audit: async () => undefined,
      page,
    } satisfies Access);
    return;
  }

  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure },
    // Tokens are bound to the session (or to "anonymous" on the login form), so a token from one
    // session is worthless in another, and a planted CSRF cookie gains nothing.
    getUserInfo: (request: FastifyRequest) => request.sessionHash ?? 'anonymous',
    csrfOpts: { hmacKey: randomBytes(32) },
    logLevel: 'info',
  });
  await app.register(fastifyRateLimit, { global: false });

  const require: Access['require'] = (action, resource) => async (request, reply) => {
    const d = authorize(request.user, action, resource);
    if (d.allowed) return;
    if (!request.user) {
      await refuse(request, reply, 401, `Sign in to do this: ${d.reason}.`);
      return;
    }
    await audit(request, {
      event: 'access.refused',
      subject: `${request.method} ${request.routeOptions.url ?? request.url}`,
      outcome: 'refused',
      detail: { action, reason: d.reason },
    });
    await refuse(request, reply, 403, `Not allowed: ${d.reason}.`);
  };

  app.decorate('access', {
    enabled: true,
    require,
    csrfToken: (request, reply) => reply.generateCsrf({ userInfo: request.sessionHash ?? 'anonymous' }),
    audit,
    page,
  } satisfies Access);

  // Who is asking: the session cookie's user, if the session is live and the user enabled.
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!looksLikeToken(token)) return;
    const hash = hashSessionToken(token);
    const found = await findSession(o.store.db, hash);
    const now = o.clock();
    if (!found || found.session.expiresAt <= now || found.session.lastSeenAt + idleTtl <= now || found.user.disabledAt !== null) {
      if (found) await writes.deleteSession(hash);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    request.user = { id: found.user.id, name: found.user.name, role: found.user.role };
    request.sessionHash = hash;
    if (now - found.session.lastSeenAt >= TOUCH_EVERY_MS) await writes.touchSession(hash, now);
  });

  // Reading needs a signed-in user allowed to read, except on public paths.
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (publicPrefixes.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p || path.startsWith(`${p}/`)))) return;
    const d = authorize(request.user, 'read', { kind: 'report' });
    if (d.allowed) return;
    await refuse(request, reply, request.user ? 403 : 401, request.user ? `Not allowed: ${d.reason}.` : 'Sign in to read the dashboard.');
  });

  // CSRF on everything that can change something (after the body is parsed: the token may be a form field).
  app.addHook('preHandler', (request, reply, done) => {
    if (!UNSAFE_METHODS.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });

  await app.register(loginRoutes, {
    store: o.store,
    writes,
    clock: o.clock,
    sessionTtlMs: sessionTtl,
    secureCookies: secure,
    hashParams: o.hashParams,
    limiter: new LoginLimiter({ maxFailures: o.loginFailuresPerName ?? 5, windowMs: o.lockoutMs ?? 15 * 60_000, clock: o.clock }),
    attemptsPerMinute: o.loginAttemptsPerMinute ?? 10,
  });

  // Expired and idle sessions are removed now and then (the check above refuses them anyway).
  const idleBefore = () => o.clock() - idleTtl;
  await writes.purgeSessions(o.clock(), idleBefore());
  const timer = setInterval(() => void writes.purgeSessions(o.clock(), idleBefore()).catch(() => undefined), 3_600_000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/** The access-control plugin (see the file comment); buildApp registers it before every route. */
export const accessPlugin = fp(access, { name: 'steward-access', fastify: '5.x' });
