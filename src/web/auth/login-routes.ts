/**
 * GET/POST /login and GET/POST /logout. A failed login says only "wrong name or password" whatever
 * went wrong (unknown name, wrong password, disabled user) and takes as long as a real check, so
 * the answer does not tell which names exist. The password is never logged, audited or echoed.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/engine.js';
import { appendAudit, findUserByName, setUserPassword } from '../../store/users-store.js';
import type { WebWrites } from '../../store/web-writes.js';
import { loginBody, logoutBody, refusalBody, safeNext, wantsHtml } from './auth-pages.js';
import type { LoginLimiter } from './login-limiter.js';
import { DEFAULT_SCRYPT, decoyHash, hashPassword, needsRehash, verifyPassword, type ScryptParams } from './password.js';
import { CSRF_COOKIE, SESSION_COOKIE, hashSessionToken, newSessionToken } from './session-token.js';
import { typed } from '../typed-routes.js';

export interface LoginRoutesOptions {
  store: Store;
  /** Sessions and audit lines (store/web-writes.ts). */
  writes: WebWrites;
  clock: () => number;
  sessionTtlMs: number;
  secureCookies: boolean;
  hashParams?: ScryptParams;
  limiter: LoginLimiter;
  attemptsPerMinute: number;
}

const loginSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200 },
    password: { type: 'string', maxLength: 4096 },
    next: { type: 'string', maxLength: 2000 },
    _csrf: { type: 'string', maxLength: 200 },
  },
} as const;

/** `?next=…`: where to go after signing in (safeNext keeps it on this site; anything else goes to /). */
const nextQuery = { type: 'object', properties: { next: { type: 'string' } } } as const;

const FAILED = 'Wrong name or password.';

export async function loginRoutes(app: FastifyInstance, o: LoginRoutesOptions): Promise<void> {
  const params = o.hashParams ?? DEFAULT_SCRYPT;
  let decoy: Promise<string> | null = null;
  const decoyHashOnce = () => (decoy ??= decoyHash(params));

  const loginPage = (request: FastifyRequest, reply: FastifyReply, status: number, v: { next: string; name?: string; error?: string }) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Sign in', loginBody({ csrf: app.access.csrfToken(request, reply), ...v })));

  app.setErrorHandler(refusalErrorHandler(app, o.store, o.clock));

  const routes = typed(app);
  // A query that fails the schema (two `next`s, say) is not refused: the form just goes back to /.
  routes.get('/login', { schema: { querystring: nextQuery }, attachValidation: true }, async (request, reply) => {
    const next = request.validationError ? '/' : safeNext(request.query.next);
    if (request.user) return reply.redirect(next, 303);
    return loginPage(request, reply, 200, { next });
  });

  routes.post(
    '/login',
    {
      config: { rateLimit: { max: o.attemptsPerMinute, timeWindow: 60_000 } },
      schema: { body: loginSchema },
      // Fastify would echo a failing value in its validation message; the password must never be.
      attachValidation: true,
    },
    async (request, reply) => {
      const next = safeNext(request.body?.next);
      if (request.validationError)
        return loginPage(request, reply, 400, { next, error: 'The sign-in form was not filled in as expected.' });
      const name = (request.body.name ?? '').trim().toLowerCase();
      const password = request.body.password ?? '';
      const fail = async (reason: string, subject: string | null) => {
        o.limiter.fail(name);
        // The name typed is recorded only when it is a user's: a password typed into the name field must not land in the log.
        await o.writes.appendAudit({
          at: o.clock(),
          event: 'login.failed',
          actorId: null,
          actor: null,
          subject,
          ip: request.ip,
          outcome: 'failed',
          detail: { reason },
        });
        return loginPage(request, reply, 401, { next, name: subject ?? undefined, error: FAILED });
      };

      const wait = o.limiter.retryAfter(name);
      if (wait > 0) {
        const user = await findUserByName(o.store.db, name);
        await o.writes.appendAudit({
          at: o.clock(),
          event: 'login.locked',
          actorId: null,
          actor: null,
          subject: user ? user.name : null,
          ip: request.ip,
          outcome: 'refused',
        });
        reply.header('retry-after', Math.ceil(wait / 1000));
        return loginPage(request, reply, 429, {
          next,
          error: `Too many wrong passwords for this name. Try again in ${Math.ceil(wait / 60_000)} minute(s).`,
        });
      }
      const user = name ? await findUserByName(o.store.db, name) : null;
      if (!user || user.disabledAt !== null) {
        await verifyPassword(password, await decoyHashOnce());
        return fail(user ? 'disabled user' : 'unknown user', user ? user.name : null);
      }
      if (!(await verifyPassword(password, user.passwordHash))) return fail('wrong password', user.name);

      const now = o.clock();
      o.limiter.succeed(name);
      if (needsRehash(user.passwordHash, params))
        await setUserPassword(o.store.db, user.id, await hashPassword(password, params), user.passwordChangedAt, { endSessions: false });
      // A new session on every login (never reuse one the browser brought: no session fixation).
      if (request.sessionHash) await o.writes.deleteSession(request.sessionHash);
      const token = newSessionToken();
      await o.writes.createSession({
        tokenHash: hashSessionToken(token),
        userId: user.id,
        createdAt: now,
        expiresAt: now + o.sessionTtlMs,
        lastSeenAt: now,
      });
      await o.writes.appendAudit({
        at: now,
        event: 'login',
        actorId: user.id,
        actor: user.name,
        subject: user.name,
        ip: request.ip,
        outcome: 'ok',
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        secure: o.secureCookies,
        sameSite: 'lax',
        maxAge: Math.floor(o.sessionTtlMs / 1000),
      });
      // A fresh CSRF secret for the new session.
      reply.clearCookie(CSRF_COOKIE, { path: '/' });
      return reply.redirect(next, 303);
    },
  );

  app.get('/logout', async (request, reply) => {
    if (!request.user) return reply.redirect('/login', 303);
    return reply
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Log out', logoutBody({ csrf: app.access.csrfToken(request, reply), user: request.user })));
  });

  app.post('/logout', async (request, reply) => {
    if (request.sessionHash) {
      await o.writes.deleteSession(request.sessionHash);
      await o.writes.appendAudit({
        at: o.clock(),
        event: 'logout',
        actorId: request.user?.id ?? null,
        actor: request.user?.name ?? null,
        subject: request.user?.name ?? null,
        ip: request.ip,
        outcome: 'ok',
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    reply.clearCookie(CSRF_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });
}

/**
 * An error handler for the routes of access control and of the change pages: a stale or missing
 * CSRF token (403) and too many attempts (429) get a page saying what to do (JSON for the API), and
 * a CSRF refusal is audited; any other error goes on to the app's handler.
 */
export function refusalErrorHandler(app: FastifyInstance, store: Store, clock: () => number) {
  return async (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const csrf = error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET';
    const limited = error.statusCode === 429;
    if (!csrf && !limited) throw error;
    const reason = csrf
      ? 'The form was not sent by this page, or it has expired (the server restarted, or you signed in or out elsewhere). Reload the page and try again.'
      : `Too many sign-in attempts from your address. Wait ${reply.getHeader('retry-after') ?? 60} seconds and try again.`;
    if (csrf)
      await appendAudit(store.db, {
        at: clock(),
        event: 'csrf.refused',
        actorId: request.user?.id ?? null,
        actor: request.user?.name ?? null,
        subject: `${request.method} ${request.url.split('?')[0]}`,
        ip: request.ip,
        outcome: 'refused',
      });
    reply.code(csrf ? 403 : 429);
    if (!wantsHtml(request))
      return reply.send({ error: { status: csrf ? 403 : 429, code: csrf ? 'CSRF' : 'RATE_LIMITED', message: reason } });
    const title = csrf ? 'Form expired' : 'Slow down';
    return reply
      .type('text/html; charset=utf-8')
      .send(
        app.access.page(
          request,
          title,
          refusalBody({ status: csrf ? 403 : 429, reason, back: request.url.split('?')[0] === '/login' ? '/login' : undefined }),
        ),
      );
  };
}
