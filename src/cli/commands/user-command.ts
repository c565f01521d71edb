/**
 * `steward user add|list|set-role|disable|enable|password`: the accounts of `steward serve --auth`.
 * A password never travels on the command line: it comes from STEWARD_USER_PASSWORD, or standard
 * input (a prompt without echo on a terminal, else its first line).
 */
import { StewardError } from '../../model/errors.js';
import { toCsv } from '../../report/csv.js';
import type { Store } from '../../store/engine.js';
import {
  appendAudit,
  countSessions,
  createUser,
  findUserByName,
  listUsers,
  setUserDisabled,
  setUserPassword,
  setUserRole,
  type UserRecord,
} from '../../store/users-store.js';
import { hashPassword, passwordProblem } from '../../web/auth/password.js';
import { checkRole, checkUserName } from '../../web/auth/user-names.js';
import { openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import { parseFormat } from '../options.js';

export interface UserOptions extends GlobalOptions {
  role?: string;
  format?: string;
}

const CLI_ACTOR = 'command line';

/**
 * The new password: STEWARD_USER_PASSWORD, else what rt.readSecret reads (a prompt without echo,
 * or standard input). Checked for length; never echoed, never in an error message.
 */
async function readNewPassword(rt: Runtime, name: string): Promise<string> {
  let pw = rt.env.STEWARD_USER_PASSWORD;
  if (pw === undefined || pw === '') {
    if (!rt.readSecret) {
      throw new StewardError('USAGE', `no password given for ${name}`, {
        hint: 'Set STEWARD_USER_PASSWORD, or type it at the prompt, or pipe it on standard input.',
      });
    }
    pw = await rt.readSecret(`Password for ${name}: `, { confirm: true });
  }
  pw = pw.replace(/\r?\n$/, '');
  const problem = passwordProblem(pw);
  if (problem) throw new StewardError('USAGE', `the password for ${name} is not acceptable: ${problem}`, { hint: 'Nothing was changed.' });
  return pw;
}

async function requireUser(store: Store, name: string): Promise<UserRecord> {
  const u = await findUserByName(store.db, name);
  if (!u) throw new StewardError('NOT_FOUND', `no user "${name}"`, { hint: 'See them with `steward user list`.' });
  return u;
}

function publicUser(u: UserRecord, sessions?: number) {
  return {
    name: u.name,
    role: u.role,
    created: new Date(u.createdAt).toISOString(),
    passwordChanged: new Date(u.passwordChangedAt).toISOString(),
    disabled: u.disabledAt === null ? null : new Date(u.disabledAt).toISOString(),
    ...(sessions === undefined ? {} : { sessions }),
  };
}

async function withStore<T>(o: GlobalOptions, rt: Runtime, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStoreFor(o, rt);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** `steward user add NAME --role ROLE`. */
export async function runUserAdd(nameArg: string, o: UserOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const name = checkUserName(nameArg);
  const role = checkRole(o.role);
  await withStore(o, rt, async (store) => {
    if (await findUserByName(store.db, name))
      throw new StewardError('USAGE', `user "${name}" already exists`, {
        hint: 'Change it with `steward user set-role` or `steward user password`.',
      });
    const password = await readNewPassword(rt, name);
    const now = rt.clock();
    const user = await createUser(store.db, { name, role, passwordHash: await hashPassword(password) }, now);
    if (!user) throw new StewardError('USAGE', `user "${name}" already exists`);
    await appendAudit(store.db, {
      at: now,
      event: 'user.add',
      actorId: null,
      actor: CLI_ACTOR,
      subject: name,
      ip: null,
      outcome: 'ok',
      detail: { role },
    });
    if (format === 'json') rt.stdout(JSON.stringify(publicUser(user), null, 2) + '\n');
    else rt.stdout(`Added user ${name} with the ${role} role.\n`);
  });
}

/** `steward user list`. */
export async function runUserList(o: UserOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  await withStore(o, rt, async (store) => {
    const users = await listUsers(store.db);
    const sessions = await countSessions(store.db, rt.clock());
    const rows = users.map((u) => publicUser(u, sessions.get(u.id) ?? 0));
    if (format === 'json') rt.stdout(JSON.stringify({ users: rows }, null, 2) + '\n');
    else if (format === 'csv')
      rt.stdout(
        toCsv(
          ['name', 'role', 'created', 'password_changed', 'disabled', 'sessions'],
          rows.map((r) => [r.name, r.role, r.created, r.passwordChanged, r.disabled, r.sessions]),
        ),
      );
    else if (rows.length === 0) rt.stdout('No users yet. Add one with `steward user add NAME --role admin`.\n');
    else {
      rt.stdout(`${'name'.padEnd(24)} ${'role'.padEnd(8)} ${'created'.padEnd(10)} ${'sessions'.padStart(8)}  status\n`);
      for (const r of rows)
        rt.stdout(
          `${r.name.padEnd(24)} ${r.role.padEnd(8)} ${r.created.slice(0, 10)} ${String(r.sessions).padStart(8)}  ${r.disabled ? `disabled ${r.disabled.slice(0, 10)}` : 'active'}\n`,
        );
    }
  });
}

/** `steward user set-role NAME ROLE`. */
export async function runUserSetRole(nameArg: string, roleArg: string, o: UserOptions, rt: Runtime): Promise<void> {
  const role = checkRole(roleArg);
  await withStore(o, rt, async (store) => {
    const u = await requireUser(store, nameArg);
    await setUserRole(store.db, u.id, role);
    await appendAudit(store.db, {
      at: rt.clock(),
      event: 'user.role',
      actorId: null,
      actor: CLI_ACTOR,
      subject: u.name,
      ip: null,
      outcome: 'ok',
      detail: { from: u.role, to: role },
    });
    rt.stdout(u.role === role ? `${u.name} already has the ${role} role.\n` : `${u.name}: role ${u.role} → ${role}.\n`);
  });
}

/** `steward user disable NAME` (ends the user's sessions) and `steward user enable NAME`. */
export async function runUserDisable(nameArg: string, disable: boolean, o: UserOptions, rt: Runtime): Promise<void> {
  await withStore(o, rt, async (store) => {
    const u = await requireUser(store, nameArg);
    const now = rt.clock();
    await setUserDisabled(store.db, u.id, disable ? now : null);
    await appendAudit(store.db, {
      at: now,
      event: disable ? 'user.disable' : 'user.enable',
      actorId: null,
      actor: CLI_ACTOR,
      subject: u.name,
      ip: null,
      outcome: 'ok',
    });
    rt.stdout(disable ? `Disabled ${u.name}: it can no longer log in, and its sessions have ended.\n` : `Enabled ${u.name}.\n`);
  });
}

/** `steward user password NAME`: sets a new password and ends the user's sessions. */
export async function runUserPassword(nameArg: string, o: UserOptions, rt: Runtime): Promise<void> {
  await withStore(o, rt, async (store) => {
    const u = await requireUser(store, nameArg);
    const password = await readNewPassword(rt, u.name);
    const now = rt.clock();
    await setUserPassword(store.db, u.id, await hashPassword(password), now, { endSessions: true });
    await appendAudit(store.db, {
      at: now,
      event: 'user.password',
      actorId: null,
      actor: CLI_ACTOR,
      subject: u.name,
      ip: null,
      outcome: 'ok',
    });
    rt.stdout(`Changed the password of ${u.name}; its sessions have ended.\n`);
  });
}
