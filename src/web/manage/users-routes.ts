/**
 * /manage/users: the accounts of `steward serve --auth` for admins (`users.manage`): add a user,
 * change a role, disable or enable, set a new password. The rules are `steward user`'s (names,
 * roles, password length); a password is only ever hashed, never logged, audited or echoed.
 * Disabling and a new password end the user's sessions. One more rule the command line does not
 * need: the last enabled admin cannot be demoted or disabled from here, so the web never locks
 * every admin out (the command line, which opens the store directly, can always repair).
 * Every change needs a CSRF token, is audited, and is answered with a redirect back to the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { StewardError, isStewardError } from '../../model/errors.js';
import {
  countSessions,
  createUser,
  findUserByName,
  listUsers,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  type UserRecord,
} from '../../store/users-store.js';
import { csrfField } from '../auth/auth-pages.js';
import { ROLE_NAMES } from '../auth/authorize.js';
import { DEFAULT_SCRYPT, hashPassword, passwordProblem, type ScryptParams } from '../auth/password.js';
import { checkRole, checkUserName } from '../auth/user-names.js';
import { html, type SafeHtml } from '../html.js';
import { DONE_QUERY, typed, type Validated } from '../typed-routes.js';
import type { ManageRoutesOptions } from './mentoring-routes.js';

const field = { type: 'string', maxLength: 300 } as const;
const bodySchema = {
  type: 'object',
  properties: {
    name: field,
    role: field,
    password: { type: 'string', maxLength: 2048 },
    confirm: { type: 'string', maxLength: 2048 },
    _csrf: field,
  },
} as const;
type UserForm = Validated<typeof bodySchema>;

const DONE: Record<string, string> = {
  added: 'User added.',
  role: 'Role changed.',
  disabled: 'User disabled; its sessions have ended.',
  enabled: 'User enabled.',
  password: "Password changed; the user's sessions have ended.",
};

type Action = 'add' | 'role' | 'disable' | 'enable' | 'password';

export async function usersRoutes(app: FastifyInstance, o: ManageRoutesOptions & { hashParams?: ScryptParams }): Promise<void> {
  const guard = app.access.require('users.manage', { kind: 'users' });
  const params = o.hashParams ?? DEFAULT_SCRYPT;

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    v: { error?: string; form?: UserForm; done?: string },
  ) => {
    const users = await listUsers(o.store.db);
    const sessions = await countSessions(o.store.db, o.clock());
    const csrf = app.access.csrfToken(request, reply);
    const f = v.form ?? {};
    const roleSelect = (selected: string | undefined) =>
      html`<select name="role">${ROLE_NAMES.map((r) => html`<option${r === selected ? html` selected` : ''}>${r}</option>`)}</select>`;
    const hidden = (u: UserRecord) => html`${csrfField(csrf)}<input type="hidden" name="name" value="${u.name}">`;
    const body: SafeHtml = html`${v.done ? html`<p class="notice ok" role="status">${v.done}</p>` : ''}
${v.error ? html`<div class="notice error" role="alert"><p>${v.error}</p></div>` : ''}
<h2>Add a user</h2>
<form method="post" action="/manage/users/add" class="manage" autocomplete="off">
  ${csrfField(csrf)}
  <p><label>Name <input name="name" required maxlength="64" value="${f.name ?? ''}"></label> <label>Role ${roleSelect(f.role ?? 'viewer')}</label></p>
  <p><label>Password <input type="password" name="password" required minlength="12" autocomplete="new-password"></label>
  <label>Again <input type="password" name="confirm" required minlength="12" autocomplete="new-password"></label></p>
  <p><button type="submit">Add</button></p>
</form>
<h2>Users (${users.length})</h2>
${
  users.length === 0
    ? html`<p>No users yet.</p>`
    : html`<table><thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Sessions</th><th>Status</th><th>Set a new password</th></tr></thead><tbody>
${users.map(
  (u) => html`<tr><td>${u.name}</td>
<td><form method="post" action="/manage/users/role" class="inline">${hidden(u)}${roleSelect(u.role)} <button type="submit">Change</button></form></td>
<td>${new Date(u.createdAt).toISOString().slice(0, 10)}</td><td>${sessions.get(u.id) ?? 0}</td>
<td>${
    u.disabledAt === null
      ? html`active <form method="post" action="/manage/users/disable" class="inline">${hidden(u)}<button type="submit">Disable</button></form>`
      : html`disabled ${new Date(u.disabledAt).toISOString().slice(0, 10)} <form method="post" action="/manage/users/enable" class="inline">${hidden(u)}<button type="submit">Enable</button></form>`
  }</td>
<td><form method="post" action="/manage/users/password" class="inline" autocomplete="off">${hidden(u)}<input type="password" name="password" required minlength="12" autocomplete="new-password" aria-label="new password for ${u.name}"> <input type="password" name="confirm" required minlength="12" autocomplete="new-password" aria-label="the same again"> <button type="submit">Set</button></form></td></tr>`,
)}
</tbody></table>`
}
<p class="hint">The same on the command line: <code>steward user list|add|set-role|disable|enable|password</code>. Changes are in the <a href="/manage/audit?event=user">audit log</a>.</p>`;
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(app.access.page(request, 'Manage users', body));
  };

  const newPassword = (f: UserForm): string => {
    const pw = f.password ?? '';
    const problem = passwordProblem(pw);
    if (problem) throw new StewardError('USAGE', `the password is not acceptable: ${problem}`);
    if (pw !== (f.confirm ?? '')) throw new StewardError('USAGE', 'the two passwords differ');
    return pw;
  };

  const requireUser = async (name: string | undefined): Promise<UserRecord> => {
    const u = name ? await findUserByName(o.store.db, name) : null;
    if (!u) throw new StewardError('NOT_FOUND', `no user "${name ?? ''}"`);
    return u;
  };

  /** Refuses a change that would leave no enabled admin. */
  const keepAnAdmin = async (u: UserRecord, after: { role: string; disabled: boolean }) => {
    if (u.role !== 'admin' || u.disabledAt !== null || (after.role === 'admin' && !after.disabled)) return;
    const others = (await listUsers(o.store.db)).filter((x) => x.id !== u.id && x.role === 'admin' && x.disabledAt === null);
    if (others.length === 0)
      throw new StewardError('USAGE', `${u.name} is the last enabled admin`, {
        hint: 'Make another user admin first (or use `steward user` on the command line).',
      });
  };

  const change = async (request: FastifyRequest, f: UserForm, reply: FastifyReply, what: Action) => {
    try {
      const now = o.clock();
      if (what === 'add') {
        const name = checkUserName(f.name ?? '');
        const role = checkRole(f.role, 'choose a role');
        if (await findUserByName(o.store.db, name)) throw new StewardError('USAGE', `user "${name}" already exists`);
        const created = await createUser(o.store.db, { name, role, passwordHash: await hashPassword(newPassword(f), params) }, now);
        if (!created) throw new StewardError('USAGE', `user "${name}" already exists`);
        await app.access.audit(request, { event: 'user.add', subject: name, outcome: 'ok', detail: { role } });
      } else {
        const u = await requireUser(f.name);
        if (what === 'role') {
          const role = checkRole(f.role, 'choose a role');
          await keepAnAdmin(u, { role, disabled: false });
          await setUserRole(o.store.db, u.id, role);
          await app.access.audit(request, { event: 'user.role', subject: u.name, outcome: 'ok', detail: { from: u.role, to: role } });
        } else if (what === 'disable' || what === 'enable') {
          if (what === 'disable') await keepAnAdmin(u, { role: u.role, disabled: true });
          await setUserDisabled(o.store.db, u.id, what === 'disable' ? now : null);
          await app.access.audit(request, { event: what === 'disable' ? 'user.disable' : 'user.enable', subject: u.name, outcome: 'ok' });
        } else {
          await setUserPassword(o.store.db, u.id, await hashPassword(newPassword(f), params), now, { endSessions: true });
          await app.access.audit(request, { event: 'user.password', subject: u.name, outcome: 'ok' });
        }
      }
      const done = what === 'add' ? 'added' : what === 'disable' ? 'disabled' : what === 'enable' ? 'enabled' : what;
      return reply.redirect(`/manage/users?done=${done}`, 303);
    } catch (e) {
      if (!isStewardError(e) || !['USAGE', 'NOT_FOUND'].includes(e.code)) throw e;
      const message = e.details.hint ? `${e.message}. ${e.details.hint}` : `${e.message}.`;
      // The form comes back filled in, never with the passwords.
      return render(request, reply, 400, {
        error: `Nothing was changed: ${message}`,
        form: what === 'add' ? { name: f.name, role: f.role } : undefined,
      });
    }
  };

  const routes = typed(app);
  routes.get('/manage/users', { preHandler: guard, schema: { querystring: DONE_QUERY } }, async (request, reply) =>
    render(request, reply, 200, { done: DONE[request.query.done ?? ''] }),
  );
  for (const what of ['add', 'role', 'disable', 'enable', 'password'] as const) {
    routes.post(`/manage/users/${what}`, { preHandler: guard, schema: { body: bodySchema } }, (request, reply) =>
      change(request, request.body ?? {}, reply, what),
    );
  }
}
