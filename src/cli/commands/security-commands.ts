/**
 * `steward security …`: the embargoed vulnerability tracker from the command line (docs/security.md).
 * This module defines the commands and their options only (Commander): each command loads
 * security-command.ts when it runs, so `steward --help` loads neither the store nor the tracker
 * (docs/development.md, "A fast start").
 */
import { Option, type Command } from 'commander';
import type { Runtime } from '../context.js';
import type { SecOptions } from './security-command.js';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const run = () => import('./security-command.js');

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
    .action(async (_o, cmd: Command) => (await run()).runSecurityNewKey(g(cmd), rt));

  security
    .command('report')
    .description('record a vulnerability report: the first line of --file is its title, the rest its description')
    .addOption(as())
    .requiredOption('--project <name>', 'the project it is about')
    .option('--file <path>', 'the report text (- for standard input)')
    .option('--reporter <user>', 'team only: the Steward user who reported it (gets the reporter grant; default: you)')
    .addOption(fmt())
    .action(async (_o, cmd: Command) => (await run()).runSecurityReport(g(cmd), rt));

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
    .action(async (id: string, to: string, _o, cmd: Command) => (await run()).runSecurityTransition(id, to, g(cmd), rt));

  security
    .command('grant')
    .description('share an item with a Steward user: --kind reporter, fix-author or downstream')
    .argument('<id>', 'the item')
    .argument('<user>', 'the grantee')
    .addOption(as())
    .requiredOption('--kind <kind>', 'reporter, fix-author or downstream')
    .action(async (id: string, user: string, _o, cmd: Command) => (await run()).runSecurityGrant(id, user, g(cmd), rt));

  security
    .command('revoke')
    .description("end a user's grants on an item (at once, open web sessions included)")
    .argument('<id>', 'the item')
    .argument('<user>', 'the grantee')
    .addOption(as())
    .action(async (id: string, user: string, _o, cmd: Command) => (await run()).runSecurityRevoke(id, user, g(cmd), rt));

  security
    .command('assign')
    .description('assign an item to a team member')
    .argument('<id>', 'the item')
    .argument('<member>', 'the team member')
    .addOption(as())
    .action(async (id: string, member: string, _o, cmd: Command) => (await run()).runSecurityAssign(id, member, g(cmd), rt));

  security
    .command('patch')
    .description('attach a private patch for one affected branch (never sent to public review before disclosure)')
    .argument('<id>', 'the item')
    .addOption(as())
    .requiredOption('--branch <name>', 'the branch it applies to')
    .option('--file <path>', 'the patch (- for standard input)')
    .action(async (id: string, _o, cmd: Command) =>
      (await run()).runSecurityPatch(id, String(cmd.opts<{ branch: string }>().branch), g(cmd), rt),
    );

  security
    .command('review')
    .description('vote on a private patch: --vote +1 or -1')
    .argument('<id>', 'the item')
    .argument('<patch>', 'the patch number')
    .addOption(as())
    .requiredOption('--vote <vote>', '+1 or -1')
    .action(async (id: string, patch: string, _o, cmd: Command) => (await run()).runSecurityReview(id, patch, g(cmd), rt));

  security
    .command('list')
    .description('the items you may see, with their state, severity and age against the embargo cap')
    .addOption(as())
    .addOption(fmt('text, json or csv'))
    .action(async (_o, cmd: Command) => (await run()).runSecurityList(g(cmd), rt));

  security
    .command('show')
    .description('one item: its text, history, private patches and (for the team) who it is shared with')
    .argument('<id>', 'the item')
    .addOption(as())
    .addOption(fmt())
    .action(async (id: string, _o, cmd: Command) => (await run()).runSecurityShow(id, g(cmd), rt));

  security
    .command('export')
    .description('write a disclosed item out as an advisory (OSSA YAML, as `security advisories import` reads it); team only')
    .argument('<id>', 'the item')
    .addOption(as())
    .option('--out <file>', 'the advisory file to write (default: standard output), e.g. ossa/OSSA-2026-001.yaml')
    .action(async (id: string, _o, cmd: Command) => (await run()).runSecurityExport(id, g(cmd), rt));

  security
    .command('intake')
    .description(
      'take the embargoed Launchpad bugs the bug sync stored (Private Security, Embargoed) into the tracker: one received item per bug not yet tracked',
    )
    .addOption(new Option('--as <user>', 'a security team member to act as (default: the system, "launchpad intake")'))
    .addOption(fmt())
    .action(async (_o, cmd: Command) => (await run()).runSecurityIntake(g(cmd), rt));

  const team = security.command('team').description('the security team (admins add and remove members; kept small: security.teamMax)');
  team
    .command('add')
    .argument('<user>', 'the Steward user')
    .addOption(as())
    .action(async (user: string, _o, cmd: Command) => (await run()).runSecurityTeamAdd(user, g(cmd), rt));
  team
    .command('remove')
    .argument('<user>', 'the member')
    .addOption(as())
    .action(async (user: string, _o, cmd: Command) => (await run()).runSecurityTeamRemove(user, g(cmd), rt));

  security
    .command('roster')
    .description(
      'the team over 90 and 180 days, who has not had time recently (with evidence), open items against the cap, per-report times',
    )
    .addOption(as())
    .addOption(fmt())
    .action(async (_o, cmd: Command) => (await run()).runSecurityRoster(g(cmd), rt));

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
    .action(async (_o, cmd: Command) => (await run()).runSecurityAudit(g(cmd), rt));

  security
    .command('rotate-key')
    .description(
      're-seal every embargoed text with a new key: current key as usual, the new one in STEWARD_SECURITY_NEW_KEY or STEWARD_SECURITY_NEW_KEY_FILE',
    )
    .action(async (_o, cmd: Command) => (await run()).runSecurityRotateKey(g(cmd), rt));

  return security;
}
