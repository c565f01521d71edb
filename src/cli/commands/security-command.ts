/**
 * `steward security …`: the embargoed vulnerability tracker from the command line (docs/security.md).
 * Every command that reads or changes an item acts as a Steward user named with `--as` (attribution
 * and access are that user's, as on the web); texts come from files or standard input, never from
 * the command line, and the key from STEWARD_SECURITY_KEY or STEWARD_SECURITY_KEY_FILE.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
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
import { parseFormat } from '../options.js';
import { securityBoxFrom, writeNewKey } from '../security-key.js';

interface SecOptions extends GlobalOptions, AuditParamsText {
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

const collect = (v: string, prev: string[] = []) => [...prev, v];

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
  fn: (d: SecurityDeps, actor: AuthUser) => Promise<T>,
  needActor = true,
): Promise<T> {
  const box = securityBoxFrom(rt.env as Record<string, string | undefined>);
  const store = await openStoreFor(o, rt);
  try {
    const config = await effectiveConfig(o, rt, store);
    const d: SecurityDeps = { store, box, clock: rt.clock, rules: config.config.security, ip: null };
    const actor = needActor ? await actorOf(store, o.as) : { id: 0, name: 'command line', role: '' };
    return await fn(d, actor);
  } finally {
    await store.close();
  }
}

const json = (rt: Runtime, v: unknown) => rt.stdout(JSON.stringify(v, null, 2) + '\n');

/**
 * The `security` command and its subcommands, attached to `program`. Returns it so that other
 * parts (published advisories) can attach their own subcommands.
 */
export function securityCommand(program: Command, rt: Runtime): Command {
  const g = (cmd: Command) => cmd.optsWithGlobals<SecOptions>();
  const as = () => new Option('--as <user>', 'the Steward user you act as (access and attribution are theirs)');
  const fmt = (formats = 'text or json') => new Option('--format <format>', `output format: ${formats}`).default('text');
  const security = program
    .command('security')
    .description('the security team: embargoed vulnerabilities, their process, the roster; published advisories and candidates');

  security
    .command('new-key')
    .description('write a new random 32-byte key to a file of mode 0600 (for STEWARD_SECURITY_KEY_FILE)')
    .requiredOption('--out <file>', 'the key file to create (must not exist)')
    .action((_o, cmd: Command) => {
      const id = writeNewKey(g(cmd).out!);
      rt.stdout(`Wrote a new key (id ${id}) to ${g(cmd).out}. Keep it apart from the store and its backups.\n`);
    });

  security
    .command('report')
    .description('record a vulnerability report: the first line of --file is its title, the rest its description')
    .addOption(as())
    .requiredOption('--project <name>', 'the project it is about')
    .option('--file <path>', 'the report text (- for standard input)')
    .option('--reporter <user>', 'team only: the Steward user who reported it (gets the reporter grant; default: you)')
    .addOption(fmt())
    .action(async (_o, cmd: Command) => {
      const o = g(cmd);
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
    });

  security
    .command('transition')
    .description(
      'move an item one step: triaged, fix-in-progress, cve-assigned, disclosure-date-agreed, pre-disclosure-sent, disclosed, closed, rejected, public',
    )
    .argument('<id>', 'the item')
    .argument('<state>', 'the state it moves to')
    .addOption(as())
    .option('--verdict <verdict>', 'triaged: confirmed or rejected')
    .option('--cvss <vector>', 'triaged: the CVSS v3.1 vector')
    .option('--release <name>', 'triaged: an affected release (repeat)', collect)
    .option('--branch <name>', 'triaged: an affected branch (repeat)', collect)
    .option('--cve <id>', 'cve-assigned: the CVE id')
    .option('--date <day>', 'disclosure-date-agreed: the day, YYYY-MM-DD, not in the past')
    .option('--recipient <who>', 'pre-disclosure-sent: who received it (repeat)', collect)
    .option('--advisory <id>', 'disclosed: the advisory id or URL')
    .option('--public-change <url>', 'disclosed, public: a public change (repeat)', collect)
    .option('--note <text>', 'a note for the history (prefer --file for anything sensitive)')
    .option('--file <path>', 'the note, from a file (- for standard input)')
    .action(async (id: string, to: string, _o, cmd: Command) => {
      const o = g(cmd);
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
    });

  security
    .command('grant')
    .description('share an item with a Steward user: --kind reporter, fix-author or downstream')
    .argument('<id>', 'the item')
    .argument('<user>', 'the grantee')
    .addOption(as())
    .requiredOption('--kind <kind>', 'reporter, fix-author or downstream')
    .action(async (id: string, user: string, _o, cmd: Command) => {
      const o = g(cmd);
      await withSecurity(o, rt, (d, actor) => grantSecurityItem(d, actor, id, user, o.kind!));
      rt.stdout(`Granted ${user} (${o.kind}) on ${id}.\n`);
    });

  security
    .command('revoke')
    .description("end a user's grants on an item (at once, open web sessions included)")
    .argument('<id>', 'the item')
    .argument('<user>', 'the grantee')
    .addOption(as())
    .action(async (id: string, user: string, _o, cmd: Command) => {
      const n = await withSecurity(g(cmd), rt, (d, actor) => revokeSecurityItem(d, actor, id, user));
      rt.stdout(`Revoked ${n} grant${n === 1 ? '' : 's'} of ${user} on ${id}.\n`);
    });

  security
    .command('assign')
    .description('assign an item to a team member')
    .argument('<id>', 'the item')
    .argument('<member>', 'the team member')
    .addOption(as())
    .action(async (id: string, member: string, _o, cmd: Command) => {
      await withSecurity(g(cmd), rt, (d, actor) => assignSecurityItem(d, actor, id, member));
      rt.stdout(`Assigned ${id} to ${member}.\n`);
    });

  security
    .command('patch')
    .description('attach a private patch for one affected branch (never sent to public review before disclosure)')
    .argument('<id>', 'the item')
    .addOption(as())
    .requiredOption('--branch <name>', 'the branch it applies to')
    .option('--file <path>', 'the patch (- for standard input)')
    .action(async (id: string, _o, cmd: Command) => {
      const o = g(cmd);
      const content = readText(o.file, 'patch');
      const pid = await withSecurity(o, rt, (d, actor) =>
        attachSecurityPatch(d, actor, id, String(cmd.opts<{ branch: string }>().branch), content),
      );
      rt.stdout(`Attached patch #${pid} to ${id}.\n`);
    });

  security
    .command('review')
    .description('vote on a private patch: --vote +1 or -1')
    .argument('<id>', 'the item')
    .argument('<patch>', 'the patch number')
    .addOption(as())
    .requiredOption('--vote <vote>', '+1 or -1')
    .action(async (id: string, patch: string, _o, cmd: Command) => {
      const o = g(cmd);
      const vote = o.vote === '+1' || o.vote === '1' ? 1 : o.vote === '-1' ? -1 : NaN;
      if (Number.isNaN(vote)) throw new StewardError('USAGE', `--vote is +1 or -1, not ${o.vote}`);
      if (!/^\d+$/.test(patch)) throw new StewardError('USAGE', `<patch> is a patch number, not "${patch}"`);
      await withSecurity(o, rt, (d, actor) => reviewSecurityPatch(d, actor, id, Number(patch), vote));
      rt.stdout(`Recorded ${o.vote} on patch #${patch}.\n`);
    });

  security
    .command('list')
    .description('the items you may see, with their state, severity and age against the embargo cap')
    .addOption(as())
    .addOption(fmt('text, json or csv'))
    .action(async (_o, cmd: Command) => {
      const o = g(cmd);
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
    });

  security
    .command('show')
    .description('one item: its text, history, private patches and (for the team) who it is shared with')
    .argument('<id>', 'the item')
    .addOption(as())
    .addOption(fmt())
    .action(async (id: string, _o, cmd: Command) => {
      const o = g(cmd);
      const format = parseFormat(o.format);
      const v = await withSecurity(o, rt, (d, actor) => showSecurityItem(d, actor, id));
      if (format === 'json') json(rt, v);
      else rt.stdout(renderSecurityItemText(v));
    });

  const team = security.command('team').description('the security team (admins add and remove members; kept small: security.teamMax)');
  team
    .command('add')
    .argument('<user>', 'the Steward user')
    .addOption(as())
    .action(async (user: string, _o, cmd: Command) => {
      await withSecurity(g(cmd), rt, (d, actor) => addSecurityMember(d, actor, user));
      rt.stdout(`Added ${user} to the security team.\n`);
    });
  team
    .command('remove')
    .argument('<user>', 'the member')
    .addOption(as())
    .action(async (user: string, _o, cmd: Command) => {
      await withSecurity(g(cmd), rt, (d, actor) => removeSecurityMember(d, actor, user));
      rt.stdout(`Removed ${user} from the security team.\n`);
    });

  security
    .command('roster')
    .description(
      'the team over 90 and 180 days, who has not had time recently (with evidence), open items against the cap, per-report times',
    )
    .addOption(as())
    .addOption(fmt())
    .action(async (_o, cmd: Command) => {
      const o = g(cmd);
      const format = parseFormat(o.format);
      const r = await withSecurity(o, rt, (d, actor) => buildRosterFor(d, actor));
      if (format === 'json') json(rt, r);
      else rt.stdout(renderRosterText(r));
    });

  security
    .command('audit')
    .description("the tracker's audit log (team only): every read and change of an item, newest first")
    .addOption(as())
    .option('--limit <n>', 'most events shown (default 50)')
    .option('--event <name>', 'only this security event or family (security.item.read)')
    .option('--subject <name>', 'only events about this item ("security item ID")')
    .option('--since <date>', 'only events at or after this time')
    .option('--until <date>', 'only events before this time')
    .addOption(fmt())
    .action(async (_o, cmd: Command) => {
      const o = g(cmd);
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
    });

  security
    .command('rotate-key')
    .description(
      're-seal every embargoed text with a new key: current key as usual, the new one in STEWARD_SECURITY_NEW_KEY or STEWARD_SECURITY_NEW_KEY_FILE',
    )
    .action(async (_o, cmd: Command) => {
      const next = securityBoxFrom(rt.env as Record<string, string | undefined>, 'STEWARD_SECURITY_NEW_KEY');
      if (!next)
        throw new StewardError('SECURITY_KEY', 'no new key: set STEWARD_SECURITY_NEW_KEY or STEWARD_SECURITY_NEW_KEY_FILE', {
          hint: 'Make one with `steward security new-key --out FILE`; after the rotation, use it as STEWARD_SECURITY_KEY_FILE.',
        });
      const n = await withSecurity(g(cmd), rt, (d) => rotateKey(d, next), false);
      rt.stdout(`Re-sealed ${n} texts with key ${next.keyId}. Use the new key from now on; the old one no longer opens the store.\n`);
    });

  return security;
}
