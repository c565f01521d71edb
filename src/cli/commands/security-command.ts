/**
 * `steward security …`: the embargoed vulnerability tracker from the command line (docs/security.md):
 * what each command does, loaded when one runs (security-commands.ts defines the commands and their
 * options). Every command that reads or changes an item acts as a Steward user named with `--as`
 * (attribution and access are that user's, as on the web); texts come from files or standard input,
 * never from the command line, and the key from STEWARD_SECURITY_KEY or STEWARD_SECURITY_KEY_FILE.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { advisoryToYaml, parseAdvisory } from '../../sources/advisories/advisory-yaml.js';
import { StewardError } from '../../model/errors.js';
import { renderRosterText, renderSecurityItemText, renderSecurityListText } from '../../report/security-report.js';
import { toCsv } from '../../report/csv.js';
import { parseAuditFilter, type AuditParamsText } from '../../service/audit-view.js';
import type { AuthUser } from '../../service/authorize.js';
import {
  addSecurityMember,
  assignSecurityItem,
  attachSecurityPatch,
  buildRosterFor,
  exportSecurityAdvisory,
  intakeSecurityBugs,
  grantSecurityItem,
  listSecurityItems,
  removeSecurityMember,
  reportSecurityItem,
  revokeSecurityItem,
  reviewSecurityPatch,
  rotateKey,
  securityAuditFor,
  showSecurityItem,
  transitionSecurityItem,
  type SecurityDeps,
} from '../../service/security-service.js';
import type { TransitionRequest } from '../../analysis/security-process.js';
import { isSecurityState } from '../../model/security.js';
import type { Store } from '../../store/engine.js';
import { findUserByName } from '../../store/users-store.js';
import { effectiveConfig, openStoreFor, type GlobalOptions, type Runtime } from '../context.js';
import type { EffectiveConfig } from '../../service/effective-config.js';
import { parseFormat } from '../options.js';
import { securityBoxFrom, writeNewKey } from '../security-key.js';

export interface SecOptions extends GlobalOptions, AuditParamsText {
  as?: string;
  format?: string;
  file?: string;
  project?: string;
  reporter?: string;
  verdict?: string;
  cvss?: string;
  release?: string[];
  branch?: string[];
  cve?: string;
  date?: string;
  recipient?: string[];
  advisory?: string;
  publicChange?: string[];
  note?: string;
  kind?: string;
  vote?: string;
  out?: string;
}

/** Reads a text from a file, or standard input for "-". */
function readText(path: string | undefined, what: string): string {
  if (!path) throw new StewardError('USAGE', `give the ${what} with --file PATH (or --file - for standard input)`);
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new StewardError(
      'INPUT_UNREADABLE',
      `cannot read the ${what} from ${path === '-' ? 'standard input' : path}`,
      { where: path },
      { cause: e },
    );
  }
}

async function actorOf(store: Store, name: string | undefined): Promise<AuthUser> {
  if (!name) throw new StewardError('USAGE', 'say which Steward user you act as with --as NAME (access and attribution are that user’s)');
  const u = await findUserByName(store.db, name);
  if (!u || u.disabledAt !== null)
    throw new StewardError('USAGE', `--as ${name}: no active Steward user by that name`, { hint: 'See `steward user list`.' });
  return { id: u.id, name: u.name, role: u.role };
}

/** Opens the store, builds the tracker's dependencies and the acting user, runs `fn`, closes. */
async function withSecurity<T>(
  o: SecOptions,
  rt: Runtime,
  fn: (d: SecurityDeps, actor: AuthUser, config: EffectiveConfig) => Promise<T>,
  needActor = true,
): Promise<T> {
  const box = securityBoxFrom(rt.env as Record<string, string | undefined>);
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const d: SecurityDeps = { store, box, clock: rt.clock, rules: config.config.security, ip: null };
    const actor = needActor ? await actorOf(store, o.as) : { id: 0, name: 'command line', role: '' };
    return await fn(d, actor, config);
  } finally {
    await store.close();
  }
}

const json = (rt: Runtime, v: unknown) => rt.stdout(JSON.stringify(v, null, 2) + '\n');

/** `steward security new-key --out FILE`. */
export function runSecurityNewKey(o: SecOptions, rt: Runtime): void {
  const id = writeNewKey(o.out!);
  rt.stdout(`Wrote a new key (id ${id}) to ${o.out}. Keep it apart from the store and its backups.\n`);
}

/** `steward security report`: the first line of --file is the title, the rest the description. */
export async function runSecurityReport(o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const text = readText(o.file, 'report').replace(/\r\n/g, '\n');
  const nl = text.indexOf('\n');
  const title = (nl < 0 ? text : text.slice(0, nl)).trim();
  const description = nl < 0 ? '' : text.slice(nl + 1).trim();
  const id = await withSecurity(o, rt, (d, actor) =>
    reportSecurityItem(d, actor, { title, description, project: o.project!, reporter: o.reporter }),
  );
  if (format === 'json') json(rt, { id });
  else rt.stdout(`Recorded security item ${id} (received).\n`);
}

/** `steward security transition ID STATE`. */
export async function runSecurityTransition(id: string, to: string, o: SecOptions, rt: Runtime): Promise<void> {
  if (!isSecurityState(to))
    throw new StewardError('USAGE', `"${to}" is not a state of the process`, { hint: 'See docs/security.md, "The process".' });
  if (o.verdict && o.verdict !== 'confirmed' && o.verdict !== 'rejected')
    throw new StewardError('USAGE', '--verdict is confirmed or rejected');
  const req: TransitionRequest = {
    to,
    note: o.file ? readText(o.file, 'note') : o.note,
    verdict: o.verdict as TransitionRequest['verdict'],
    cvssVector: o.cvss,
    releases: o.release,
    branches: o.branch,
    cve: o.cve,
    disclosureDate: o.date,
    preDisclosureList: o.recipient,
    advisory: o.advisory,
    publicChanges: o.publicChange,
  };
  const state = await withSecurity(o, rt, (d, actor) => transitionSecurityItem(d, actor, id, req));
  rt.stdout(`Security item ${id} is now ${state}.\n`);
}

/** `steward security grant ID USER --kind KIND`. */
export async function runSecurityGrant(id: string, user: string, o: SecOptions, rt: Runtime): Promise<void> {
  await withSecurity(o, rt, (d, actor) => grantSecurityItem(d, actor, id, user, o.kind!));
  rt.stdout(`Granted ${user} (${o.kind}) on ${id}.\n`);
}

/** `steward security revoke ID USER`. */
export async function runSecurityRevoke(id: string, user: string, o: SecOptions, rt: Runtime): Promise<void> {
  const n = await withSecurity(o, rt, (d, actor) => revokeSecurityItem(d, actor, id, user));
  rt.stdout(`Revoked ${n} grant${n === 1 ? '' : 's'} of ${user} on ${id}.\n`);
}

/** `steward security assign ID MEMBER`. */
export async function runSecurityAssign(id: string, member: string, o: SecOptions, rt: Runtime): Promise<void> {
  await withSecurity(o, rt, (d, actor) => assignSecurityItem(d, actor, id, member));
  rt.stdout(`Assigned ${id} to ${member}.\n`);
}

/** `steward security patch ID --branch BRANCH --file PATH`. */
export async function runSecurityPatch(id: string, branch: string, o: SecOptions, rt: Runtime): Promise<void> {
  const content = readText(o.file, 'patch');
  const pid = await withSecurity(o, rt, (d, actor) => attachSecurityPatch(d, actor, id, branch, content));
  rt.stdout(`Attached patch #${pid} to ${id}.\n`);
}

/** `steward security review ID PATCH --vote +1|-1`. */
export async function runSecurityReview(id: string, patch: string, o: SecOptions, rt: Runtime): Promise<void> {
  const vote = o.vote === '+1' || o.vote === '1' ? 1 : o.vote === '-1' ? -1 : NaN;
  if (Number.isNaN(vote)) throw new StewardError('USAGE', `--vote is +1 or -1, not ${o.vote}`);
  if (!/^\d+$/.test(patch)) throw new StewardError('USAGE', `<patch> is a patch number, not "${patch}"`);
  await withSecurity(o, rt, (d, actor) => reviewSecurityPatch(d, actor, id, Number(patch), vote));
  rt.stdout(`Recorded ${o.vote} on patch #${patch}.\n`);
}

/** `steward security list`. */
export async function runSecurityList(o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const v = await withSecurity(o, rt, (d, actor) => listSecurityItems(d, actor));
  if (format === 'json') json(rt, v);
  else if (format === 'csv')
    rt.stdout(
      toCsv(
        [
          'id',
          'state',
          'project',
          'title',
          'cvss',
          'severity',
          'received',
          'age_days',
          'days_left',
          'cap_flag',
          'disclosure_date',
          'assignee',
        ],
        v.items.map((i) => [
          i.id,
          i.state,
          i.project,
          i.title,
          i.cvssScore,
          i.severity,
          i.received,
          i.ageDays,
          i.daysLeft,
          i.capFlag,
          i.disclosureDate,
          i.assignee,
        ]),
      ),
    );
  else rt.stdout(renderSecurityListText(v));
}

/** `steward security show ID`. */
export async function runSecurityShow(id: string, o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const v = await withSecurity(o, rt, (d, actor) => showSecurityItem(d, actor, id));
  if (format === 'json') json(rt, v);
  else rt.stdout(renderSecurityItemText(v));
}

/** `steward security team add USER`. */
export async function runSecurityTeamAdd(user: string, o: SecOptions, rt: Runtime): Promise<void> {
  await withSecurity(o, rt, (d, actor) => addSecurityMember(d, actor, user));
  rt.stdout(`Added ${user} to the security team.\n`);
}

/** `steward security team remove USER`. */
export async function runSecurityTeamRemove(user: string, o: SecOptions, rt: Runtime): Promise<void> {
  await withSecurity(o, rt, (d, actor) => removeSecurityMember(d, actor, user));
  rt.stdout(`Removed ${user} from the security team.\n`);
}

/** `steward security roster`. */
export async function runSecurityRoster(o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const r = await withSecurity(o, rt, (d, actor) => buildRosterFor(d, actor));
  if (format === 'json') json(rt, r);
  else rt.stdout(renderRosterText(r));
}

/** `steward security audit`: the tracker's audit log, newest first. */
export async function runSecurityAudit(o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const filter = parseAuditFilter(o, (p) => `--${p}`);
  const v = await withSecurity(o, rt, (d, actor) => securityAuditFor(d, actor, filter));
  if (format === 'json') json(rt, v);
  else if (v.events.length === 0) rt.stdout('No security events match.\n');
  else
    for (const e of v.events)
      rt.stdout(
        `${e.at.slice(0, 19).replace('T', ' ')}  ${e.event.padEnd(24)} ${e.outcome.padEnd(7)} ${(e.actor ?? '-').padEnd(12)} ${(e.subject ?? '-').padEnd(26)} ${e.ip ?? '-'}${e.detail ? ` ${JSON.stringify(e.detail)}` : ''}\n`,
      );
}

/** `steward security rotate-key`: the new key from STEWARD_SECURITY_NEW_KEY or STEWARD_SECURITY_NEW_KEY_FILE. */
export async function runSecurityRotateKey(o: SecOptions, rt: Runtime): Promise<void> {
  const next = securityBoxFrom(rt.env as Record<string, string | undefined>, 'STEWARD_SECURITY_NEW_KEY');
  if (!next)
    throw new StewardError('SECURITY_KEY', 'no new key: set STEWARD_SECURITY_NEW_KEY or STEWARD_SECURITY_NEW_KEY_FILE', {
      hint: 'Make one with `steward security new-key --out FILE`; after the rotation, use it as STEWARD_SECURITY_KEY_FILE.',
    });
  const n = await withSecurity(o, rt, (d) => rotateKey(d, next), false);
  rt.stdout(`Re-sealed ${n} texts with key ${next.keyId}. Use the new key from now on; the old one no longer opens the store.\n`);
}

/**
 * `steward security export ID [--out FILE]`: a disclosed item as an advisory in the OSSA YAML
 * format (the service builds the record, sources/advisories writes it). The text is read back with
 * the import's parser before it is written, so what `steward security advisories import` stores is
 * what was exported.
 */
export async function runSecurityExport(id: string, o: SecOptions, rt: Runtime): Promise<void> {
  const advisory = await withSecurity(o, rt, (d, actor) => exportSecurityAdvisory(d, actor, id));
  const yaml = advisoryToYaml(advisory);
  const back = parseAdvisory(yaml, o.out ?? 'the exported advisory').advisory;
  if (!isDeepStrictEqual(back, advisory))
    throw new StewardError('INTERNAL', `the advisory ${advisory.id} written as YAML does not read back the same`);
  if (!o.out) {
    rt.stdout(yaml);
    return;
  }
  const path = resolve(rt.cwd, o.out);
  try {
    writeFileSync(path, yaml, { mode: 0o644 });
  } catch (e) {
    throw new StewardError(
      'USAGE',
      `cannot write the advisory to ${path}`,
      { where: path, hint: 'Give --out a file in a folder that exists and that you may write.' },
      { cause: e },
    );
  }
  rt.stdout(`Wrote advisory ${advisory.id} (${advisory.date}) to ${o.out}.\n`);
}

/**
 * `steward security intake [--as MEMBER]`: an item for every embargoed Launchpad bug the bug sync
 * stored and the tracker does not track yet. Without --as it runs as the system (`launchpad
 * intake`), e.g. from cron after `steward bugs sync`.
 */
export async function runSecurityIntake(o: SecOptions, rt: Runtime): Promise<void> {
  const format = parseFormat(o.format);
  const r = await withSecurity(
    o,
    rt,
    async (d, actor, config) => intakeSecurityBugs(d, o.as ? actor : null, config.config.people.same),
    o.as !== undefined,
  );
  if (format === 'json') json(rt, r);
  else
    rt.stdout(
      `${r.bugs} embargoed Launchpad bug(s) in the store: ${r.created.length} taken in${r.created.map((c) => `\n  bug ${c.bug} → security item ${c.id} (received${c.reporter ? `, reporter ${c.reporter} granted` : ''})`).join('')}\n${r.alreadyTracked} already tracked.\n`,
    );
}
