/**
 * The embargoed vulnerability tracker (docs/security.md): every operation of `steward security …`
 * and of the /security pages, once. Each one asks `authorize` with what the actor is to the item,
 * writes the audit log, and seals texts with the key it is given.
 *
 * An item the actor may not read does not exist for it: the same NOT_FOUND error, word for word,
 * as an item that does not exist, after the same store reads.
 */
import { StewardError } from '../model/errors.js';
export type { SecurityItemView, SecurityListRow, SecurityListView } from '../model/security.js';
export type { SecurityRosterView } from '../analysis/security-roster.js';
import {
  GRANT_KINDS,
  isGrantKind,
  type SecurityItemText,
  type SecurityItemView,
  type SecurityListRow,
  type SecurityListView,
  type SecurityRelation,
  type SecurityState,
} from '../model/security.js';
import { severityOf } from '../analysis/cvss.js';
import { advisoryOfItem, changeNumberOf } from '../analysis/security-advisory.js';
import type { Advisory } from '../model/advisories.js';
import { changeBranchesByNumber } from '../store/queries/advisories.js';
import { buildSecurityRoster, type SecurityRosterView } from '../analysis/security-roster.js';
import { checkTransition, embargoStatus, nextStates, type TransitionRequest } from '../analysis/security-process.js';
import type { PeopleConfig, SecurityConfig } from '../config/config-schema.js';
import type { Store } from '../store/engine.js';
import type { SecretBox } from '../store/secret-box.js';
import {
  addGrant,
  addPatch as storePatch,
  addPatchReview,
  addTeamMember,
  applyTransition,
  checkSecurityKey,
  createItem,
  findItemMeta,
  grantedItems,
  listEmbargoedBugs,
  listGrants,
  listItemMeta,
  listPatchReviews,
  listPatches,
  listTeam,
  listTransitions,
  loadItem,
  newItemId,
  relationOf,
  removeTeamMember,
  revokeGrants,
  rotateSecurityKey,
  securityActivity,
  setAssignee,
} from '../store/queries/security.js';
import { appendAudit, findUserByName, listAudit, type AuditFilter } from '../store/users-store.js';
import type { WebWrites } from '../store/web-writes.js';
import { authorize, type AuthUser, type SecurityAction } from './authorize.js';

export interface SecurityDeps {
  store: Store;
  /** The key's box; null when no key is configured (operations on texts then fail with SECURITY_KEY). */
  box: SecretBox | null;
  clock: () => number;
  rules: SecurityConfig;
  /** Where the request comes from, for the audit log: an address, or null on the command line. */
  ip: string | null;
  /** Where audit lines go (`steward serve`: its bookkeeping connection, store/web-writes.ts); default the store. */
  writes?: Pick<WebWrites, 'appendAudit'>;
}

const checkedKeys = new WeakMap<Store, string>();

/** The box, checked once per store against the key id the store records. */
async function needBox(d: SecurityDeps): Promise<SecretBox> {
  if (!d.box)
    throw new StewardError('SECURITY_KEY', 'no security key is configured: embargoed texts cannot be read or written', {
      hint: 'Set STEWARD_SECURITY_KEY (64 hex digits) or STEWARD_SECURITY_KEY_FILE (a file of mode 0600); `steward security new-key` makes one. Steward never stores them in plain text.',
    });
  if (checkedKeys.get(d.store) !== d.box.keyId) {
    await checkSecurityKey(d.store.db, d.box);
    checkedKeys.set(d.store, d.box.keyId);
  }
  return d.box;
}

const subjectOf = (id: string) => `security item ${id}`;

async function audit(
  d: SecurityDeps,
  actor: AuthUser,
  event: string,
  subject: string | null,
  outcome: 'ok' | 'refused' | 'failed' = 'ok',
  detail?: Record<string, unknown>,
): Promise<void> {
  const e = { at: d.clock(), event, actorId: actor.id > 0 ? actor.id : null, actor: actor.name, subject, ip: d.ip, outcome, detail };
  await (d.writes ? d.writes.appendAudit(e) : appendAudit(d.store.db, e));
}

/** The error for an item the actor may not see, and for one that does not exist: the same. */
export function noSuchItem(id: string): StewardError {
  return new StewardError('NOT_FOUND', `there is no security item "${id}"`, {
    hint: 'List the items you may see with `steward security list`.',
  });
}

/** The item, if `actor` may do `action` to it; else NOT_FOUND (cannot read) or SECURITY_FORBIDDEN (reads, may not change). */
async function itemFor(d: SecurityDeps, actor: AuthUser, id: string, action: SecurityAction) {
  const relation = await relationOf(d.store.db, actor.id, id);
  const meta = await findItemMeta(d.store.db, id);
  const read = authorize(actor, 'security.item.read', { kind: 'security-item', id, relation });
  if (!meta || !read.allowed) {
    await audit(d, actor, 'security.item.probe', subjectOf(id), 'refused', { action });
    throw noSuchItem(id);
  }
  const may = authorize(actor, action, { kind: 'security-item', id, relation });
  if (!may.allowed) {
    await audit(d, actor, `security.item.refused`, subjectOf(id), 'refused', { action });
    throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  }
  return { meta, relation };
}

async function userNamed(d: SecurityDeps, name: string, what: string) {
  const u = await findUserByName(d.store.db, name.trim());
  if (!u || u.disabledAt !== null)
    throw new StewardError('SECURITY_TRANSITION', `${what} "${name}" is not an active Steward user`, {
      hint: 'Add the person with `steward user add NAME --role viewer` first.',
    });
  return u;
}

// ---- reading ----

/** The items `actor` may read (every one for the team, its grants for others, none for anyone else); audited. */
export async function listSecurityItems(d: SecurityDeps, actor: AuthUser): Promise<SecurityListView> {
  const team = (await listTeam(d.store.db)).some((m) => m.userId === actor.id && !m.disabled);
  const granted = await grantedItems(d.store.db, actor.id);
  const visible = (await listItemMeta(d.store.db)).filter(
    (m) =>
      authorize(actor, 'security.item.read', { kind: 'security-item', id: m.id, relation: { team, grant: granted.get(m.id) ?? null } })
        .allowed,
  );
  const now = d.clock();
  const rows: SecurityListRow[] = [];
  if (visible.length) {
    const box = await needBox(d);
    for (const m of visible) {
      const item = await loadItem(d.store.db, box, m.id);
      if (!item) continue;
      const e = embargoStatus(m, now, d.rules);
      rows.push({
        id: m.id,
        state: m.state,
        title: item.text.title,
        project: item.text.project,
        cvssScore: m.cvssScore,
        severity: m.cvssScore === null ? null : severityOf(m.cvssScore),
        received: new Date(m.receivedAt).toISOString(),
        ageDays: e.ageDays,
        daysLeft: e.daysLeft,
        capFlag: e.flag,
        disclosureDate: m.disclosureDate,
        assignee: m.assignee,
        access: team ? 'team' : (granted.get(m.id) ?? 'reporter'),
      });
    }
  }
  await audit(d, actor, 'security.item.list', null, 'ok', { items: rows.map((r) => r.id) });
  return { items: rows, embargoCapDays: d.rules.embargoCapDays };
}

/** One item as `actor` may see it; audited. NOT_FOUND when it does not exist or the actor may not read it. */
export async function showSecurityItem(d: SecurityDeps, actor: AuthUser, id: string): Promise<SecurityItemView> {
  const { relation } = await itemFor(d, actor, id, 'security.item.read');
  const box = await needBox(d);
  const item = (await loadItem(d.store.db, box, id))!;
  const change = authorize(actor, 'security.item.change', { kind: 'security-item', id, relation }).allowed;
  const patch = authorize(actor, 'security.item.patch', { kind: 'security-item', id, relation }).allowed;
  const reviews = await listPatchReviews(d.store.db, id);
  const iso = (ms: number) => new Date(ms).toISOString();
  const e = embargoStatus(item, d.clock(), d.rules);
  const view: SecurityItemView = {
    item: {
      id: item.id,
      state: item.state,
      assignee: item.assignee,
      cvssVector: item.cvssVector,
      cvssScore: item.cvssScore,
      severity: item.cvssScore === null ? null : severityOf(item.cvssScore),
      disclosureDate: item.disclosureDate,
      text: item.text,
      received: iso(item.receivedAt),
      updated: iso(item.updatedAt),
    },
    embargo: { ...e, capDays: d.rules.embargoCapDays },
    access: relation.team ? 'team' : (relation.grant ?? 'reporter'),
    may: { change, patch },
    next: change ? nextStates(item.state) : [],
    transitions: (await listTransitions(d.store.db, box, id)).map((t) => ({
      at: iso(t.at),
      actor: t.actor,
      from: t.from,
      to: t.to,
      note: t.note,
    })),
    patches: (await listPatches(d.store.db, box, id)).map((p) => ({
      id: p.id,
      branch: p.branch,
      author: p.author,
      at: iso(p.at),
      content: p.content,
      reviews: reviews.filter((r) => r.patchId === p.id).map((r) => ({ reviewer: r.reviewer, at: iso(r.at), vote: r.vote })),
    })),
    grants: relation.team
      ? (await listGrants(d.store.db, id)).map((g) => ({
          user: g.userName,
          kind: g.kind,
          granted: iso(g.grantedAt),
          grantedBy: g.grantedBy,
          revoked: g.revokedAt === null ? null : iso(g.revokedAt),
          revokedBy: g.revokedBy,
        }))
      : null,
  };
  await audit(d, actor, 'security.item.read', subjectOf(id));
  return view;
}

/**
 * A disclosed item as the advisory it publishes (analysis/security-advisory.ts), for `steward
 * security export`, which writes it in the advisory YAML format. The security team only; the read
 * is audited (`security.item.export`). Before disclosure — an item never disclosed, rejected or
 * made public without an advisory — it is refused (SECURITY_TRANSITION) and the refusal audited.
 */
export async function exportSecurityAdvisory(d: SecurityDeps, actor: AuthUser, id: string): Promise<Advisory> {
  const { meta } = await itemFor(d, actor, id, 'security.item.export');
  const box = await needBox(d);
  const disclosed = (await listTransitions(d.store.db, box, id)).find((t) => t.to === 'disclosed');
  if (!disclosed) {
    await audit(d, actor, 'security.item.export', subjectOf(id), 'refused', { state: meta.state });
    throw new StewardError(
      'SECURITY_TRANSITION',
      `the item is ${meta.state}: it is written out as an advisory at disclosure, and it has not been disclosed`,
      {
        hint: 'Export it once it is disclosed (`steward security transition ID disclosed --advisory OSSA-YYYY-NNN --public-change URL…`); before that it stays under embargo.',
      },
    );
  }
  const item = (await loadItem(d.store.db, box, id))!;
  const reporters = (await listGrants(d.store.db, id)).filter((g) => g.kind === 'reporter').map((g) => g.userName);
  const numbers = item.text.publicChanges.map(changeNumberOf).filter((n): n is number => n !== null);
  const changeBranches = await changeBranchesByNumber(d.store.db, numbers);
  let advisory: Advisory;
  try {
    advisory = advisoryOfItem({ item, disclosedAt: disclosed.at, reporters, changeBranches });
  } catch (e) {
    await audit(d, actor, 'security.item.export', subjectOf(id), 'failed', { state: meta.state });
    throw e;
  }
  await audit(d, actor, 'security.item.export', subjectOf(id), 'ok', { advisory: advisory.id });
  return advisory;
}

// ---- changing ----

const MAX_TITLE = 300;
const MAX_TEXT = 50_000;

/**
 * Records a new report (state `received`); the reporter — the actor, or for a team member
 * `reporter` — gets the reporter grant. Returns the new id.
 */
export async function reportSecurityItem(
  d: SecurityDeps,
  actor: AuthUser,
  r: { title: string; description: string; project: string; reporter?: string },
): Promise<string> {
  const may = authorize(actor, 'security.report', { kind: 'security-item' });
  if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  const title = r.title.trim();
  const description = r.description.trim();
  const project = r.project.trim();
  if (!title || title.length > MAX_TITLE) throw new StewardError('USAGE', `give the report a title of 1 to ${MAX_TITLE} characters`);
  if (!description || description.length > MAX_TEXT) throw new StewardError('USAGE', `give a description of 1 to ${MAX_TEXT} characters`);
  if (!project) throw new StewardError('USAGE', 'name the project the report is about');
  let reporterId = actor.id > 0 ? actor.id : null;
  if (r.reporter && r.reporter.trim().toLowerCase() !== actor.name) {
    const team = (await listTeam(d.store.db)).some((m) => m.userId === actor.id);
    if (!team)
      throw new StewardError('SECURITY_FORBIDDEN', 'not allowed: only the security team records a report on behalf of someone else');
    reporterId = (await userNamed(d, r.reporter, 'the reporter')).id;
  }
  const box = await needBox(d);
  const id = newItemId();
  const text: SecurityItemText = {
    title,
    description,
    project,
    releases: [],
    branches: [],
    cve: null,
    preDisclosureList: [],
    advisory: null,
    publicChanges: [],
  };
  await createItem(d.store.db, box, { id, at: d.clock(), actor: actor.name, text, reporterUserId: reporterId, note: 'reported' });
  await audit(d, actor, 'security.item.report', subjectOf(id));
  return id;
}

/** Moves an item one step (docs/security.md, "The process"); team only; audited. */
export async function transitionSecurityItem(d: SecurityDeps, actor: AuthUser, id: string, req: TransitionRequest): Promise<SecurityState> {
  const { meta } = await itemFor(d, actor, id, 'security.item.change');
  const now = d.clock();
  const effect = checkTransition(meta.state, req, now);
  const box = await needBox(d);
  const item = (await loadItem(d.store.db, box, id))!;
  const text = { ...item.text };
  if (effect.releases) text.releases = effect.releases;
  if (effect.branches) text.branches = effect.branches;
  if (effect.cve) text.cve = effect.cve;
  if (effect.preDisclosureList) text.preDisclosureList = effect.preDisclosureList;
  if (effect.advisory) text.advisory = effect.advisory;
  if (effect.publicChanges?.length) text.publicChanges = effect.publicChanges;
  const data: Record<string, unknown> = { ...effect };
  delete data['to'];
  await applyTransition(d.store.db, box, {
    itemId: id,
    from: meta.state,
    to: effect.to,
    at: now,
    actor: actor.name,
    note: req.note?.trim() ?? '',
    data,
    text,
    cvss: effect.cvss,
    disclosureDate: effect.disclosureDate,
  });
  await audit(d, actor, 'security.item.transition', subjectOf(id), 'ok', { from: meta.state, to: effect.to });
  return effect.to;
}

/** Shares an item with a user (reporter, fix author, downstream contact); team only; audited. */
export async function grantSecurityItem(d: SecurityDeps, actor: AuthUser, id: string, userName: string, kind: string): Promise<void> {
  await itemFor(d, actor, id, 'security.item.change');
  if (!isGrantKind(kind)) throw new StewardError('USAGE', `a grant is one of ${GRANT_KINDS.join(', ')}, not "${kind}"`);
  const u = await userNamed(d, userName, 'the grantee');
  const live = (await listGrants(d.store.db, id)).filter((g) => g.userId === u.id && g.revokedAt === null);
  if (live.some((g) => g.kind === kind))
    throw new StewardError('SECURITY_TRANSITION', `${u.name} already holds the ${kind} grant on the item`);
  await addGrant(d.store.db, { itemId: id, userId: u.id, kind, at: d.clock(), by: actor.name });
  await audit(d, actor, 'security.item.grant', subjectOf(id), 'ok', { user: u.name, kind });
}

/** Ends every grant of a user on an item, at once (open sessions included: access is checked on each request); audited. */
export async function revokeSecurityItem(d: SecurityDeps, actor: AuthUser, id: string, userName: string): Promise<number> {
  await itemFor(d, actor, id, 'security.item.change');
  const u = await findUserByName(d.store.db, userName.trim());
  const n = u ? await revokeGrants(d.store.db, id, u.id, d.clock(), actor.name) : 0;
  if (n === 0) throw new StewardError('SECURITY_TRANSITION', `"${userName}" holds no grant on the item`);
  await audit(d, actor, 'security.item.revoke', subjectOf(id), 'ok', { user: u!.name, grants: n });
  return n;
}

/** Assigns the item to a team member; team only; audited. */
export async function assignSecurityItem(d: SecurityDeps, actor: AuthUser, id: string, memberName: string): Promise<void> {
  await itemFor(d, actor, id, 'security.item.change');
  const m = (await listTeam(d.store.db)).find((x) => x.name === memberName.trim().toLowerCase() && !x.disabled);
  if (!m) throw new StewardError('SECURITY_TRANSITION', `"${memberName}" is not on the security team`);
  await setAssignee(d.store.db, id, m.name, d.clock());
  await audit(d, actor, 'security.item.assign', subjectOf(id), 'ok', { assignee: m.name });
}

const PATCH_STATES: readonly SecurityState[] = ['fix-in-progress', 'cve-assigned', 'disclosure-date-agreed', 'pre-disclosure-sent'];

/** Attaches a private patch for one affected branch (team or fix author), while the fix is being prepared; audited. */
export async function attachSecurityPatch(d: SecurityDeps, actor: AuthUser, id: string, branch: string, content: string): Promise<number> {
  const { meta } = await itemFor(d, actor, id, 'security.item.patch');
  if (!PATCH_STATES.includes(meta.state))
    throw new StewardError(
      'SECURITY_TRANSITION',
      `private patches are attached from fix-in-progress until disclosure; the item is ${meta.state}`,
    );
  const box = await needBox(d);
  const item = (await loadItem(d.store.db, box, id))!;
  const b = branch.trim();
  if (!item.text.branches.includes(b))
    throw new StewardError('SECURITY_TRANSITION', `branch "${b}" is not among the affected branches (${item.text.branches.join(', ')})`);
  if (!content.trim() || content.length > 2_000_000) throw new StewardError('USAGE', 'the patch is empty or larger than 2 MB');
  const pid = await storePatch(d.store.db, box, { itemId: id, branch: b, author: actor.name, at: d.clock(), content });
  await audit(d, actor, 'security.item.patch', subjectOf(id), 'ok', { branch: b, patch: pid });
  return pid;
}

/** Records a team member's vote (+1, -1) on a private patch (not one's own); audited. */
export async function reviewSecurityPatch(d: SecurityDeps, actor: AuthUser, id: string, patchId: number, vote: number): Promise<void> {
  await itemFor(d, actor, id, 'security.item.change');
  if (vote !== 1 && vote !== -1) throw new StewardError('USAGE', `a review vote is +1 or -1, not ${vote}`);
  const box = await needBox(d);
  const p = (await listPatches(d.store.db, box, id)).find((x) => x.id === patchId);
  if (!p) throw new StewardError('SECURITY_TRANSITION', `the item has no patch ${patchId}`);
  if (p.author === actor.name) throw new StewardError('SECURITY_TRANSITION', 'a patch is reviewed by someone other than its author');
  await addPatchReview(d.store.db, { patchId, itemId: id, reviewer: actor.name, at: d.clock(), vote });
  await audit(d, actor, 'security.item.review', subjectOf(id), 'ok', { patch: patchId, vote });
}

/** What `steward security intake` did. */
export interface SecurityIntakeResult {
  /** Embargoed Launchpad bugs in the store (Private Security, Embargoed). */
  bugs: number;
  /** Items created now, one per bug not yet tracked; `reporter`: the Steward user granted it as the bug's reporter, or null. */
  created: Array<{ id: string; bug: number; reporter: string | null }>;
  /** Bugs an item already links to. */
  alreadyTracked: number;
}

/**
 * Takes Launchpad's embargoed bugs into the tracker (docs/security.md, "Intake from Launchpad"):
 * for each stored bug of type Private Security or Embargoed that no item links to yet, an item in
 * state `received`, received when the bug was reported, linked to the bug, its title and a
 * description naming the bug sealed like every item's text. Idempotent: a second run creates
 * nothing. `actor` null is the command line acting as the system (`launchpad intake`); a user must
 * be on the team. Each item and the run are audited.
 *
 * The bug's reporter is granted the item (`reporter`) when steward.yaml says outright who they are
 * in Steward: a `people.same` entry with their Launchpad name as `launchpad` and an active Steward
 * account as `user`. Nobody is guessed from a name; when there is no such entry, or it names no
 * active user, or two entries disagree, nobody is granted and the item's first step says why.
 */
export async function intakeSecurityBugs(
  d: SecurityDeps,
  actor: AuthUser | null,
  people: PeopleConfig['same'] = [],
): Promise<SecurityIntakeResult> {
  const who: AuthUser = actor ?? { id: 0, name: 'launchpad intake', role: '' };
  if (actor) {
    const may = authorize(actor, 'security.intake', { kind: 'security-team', relation: await teamRelation(d, actor) });
    if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  }
  const bugs = await listEmbargoedBugs(d.store.db);
  const box = await needBox(d);
  const tracked = new Set<number>();
  for (const m of await listItemMeta(d.store.db)) {
    const bug = (await loadItem(d.store.db, box, m.id))?.text.launchpadBug;
    if (typeof bug === 'number') tracked.add(bug);
  }
  const created: SecurityIntakeResult['created'] = [];
  const usersOf = launchpadUsers(people);
  for (const b of bugs) {
    if (tracked.has(b.id)) continue;
    const reporter = await reporterUser(d, b.owner, usersOf);
    const id = newItemId();
    const day = new Date(b.createdAt).toISOString().slice(0, 10);
    const text: SecurityItemText = {
      title: (b.title.trim() || `Launchpad bug ${b.id}`).slice(0, MAX_TITLE),
      description: `Launchpad bug ${b.id} (${b.informationType}), reported by ${b.owner ?? 'an unknown user'} on ${day}: https://bugs.launchpad.net/bugs/${b.id}`,
      project: b.projects[0] ?? 'unknown',
      releases: [],
      branches: [],
      cve: null,
      preDisclosureList: [],
      advisory: null,
      publicChanges: [],
      launchpadBug: b.id,
    };
    await createItem(d.store.db, box, {
      id,
      at: b.createdAt,
      actor: who.name,
      text,
      reporterUserId: reporter.user?.id ?? null,
      note: `taken in from Launchpad bug ${b.id} (${b.informationType}); ${reporter.note}`,
    });
    tracked.add(b.id);
    created.push({ id, bug: b.id, reporter: reporter.user?.name ?? null });
    await audit(d, who, 'security.item.intake', subjectOf(id), 'ok', { source: 'launchpad', reporterGranted: reporter.user !== null });
  }
  // Under security.item: hidden, like every item event, from readers of the audit log not on the team.
  await audit(d, who, 'security.item.intake-run', null, 'ok', { bugs: bugs.length, created: created.length });
  return { bugs: bugs.length, created, alreadyTracked: bugs.length - created.length };
}

/** Launchpad name (lower case) → the Steward user names steward.yaml's `people.same` gives it (one, unless entries disagree). */
function launchpadUsers(people: PeopleConfig['same']): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const m of people) {
    if (!m.launchpad || !m.user) continue;
    const k = m.launchpad.trim().toLowerCase();
    out.set(k, (out.get(k) ?? new Set()).add(m.user.trim().toLowerCase()));
  }
  return out;
}

/** The Steward user a Launchpad bug's reporter is, when steward.yaml says so outright, and the history's words either way. */
async function reporterUser(
  d: SecurityDeps,
  owner: string | null,
  usersOf: Map<string, Set<string>>,
): Promise<{ user: { id: number; name: string } | null; note: string }> {
  if (!owner) return { user: null, note: 'Launchpad names no reporter: nobody granted' };
  const names = [...(usersOf.get(owner.trim().toLowerCase()) ?? [])];
  if (names.length === 0)
    return {
      user: null,
      note: `its reporter ${owner} on Launchpad maps to no Steward user (steward.yaml people.same: launchpad and user): nobody granted`,
    };
  if (names.length > 1)
    return {
      user: null,
      note: `its reporter ${owner} on Launchpad maps to several Steward users in steward.yaml (${names.sort().join(', ')}): nobody granted`,
    };
  const u = await findUserByName(d.store.db, names[0]!);
  if (!u || u.disabledAt !== null)
    return {
      user: null,
      note: `its reporter ${owner} on Launchpad maps to ${names[0]} in steward.yaml, not an active Steward user: nobody granted`,
    };
  return { user: { id: u.id, name: u.name }, note: `its reporter ${owner} on Launchpad is Steward user ${u.name}: granted as reporter` };
}

// ---- the team ----

/** Adds a user to the team (admins; adding oneself is allowed, audited as such and shown to the team). */
export async function addSecurityMember(d: SecurityDeps, actor: AuthUser, userName: string): Promise<void> {
  const may = authorize(actor, 'security.team.manage', { kind: 'security-team' });
  if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  const u = await userNamed(d, userName, 'the new member');
  const team = await listTeam(d.store.db);
  if (team.some((m) => m.userId === u.id)) throw new StewardError('SECURITY_TRANSITION', `${u.name} is already on the security team`);
  const size = team.filter((m) => !m.disabled).length;
  if (size >= d.rules.teamMax)
    throw new StewardError(
      'SECURITY_TEAM_FULL',
      `the security team has ${size} members, its maximum (security.teamMax ${d.rules.teamMax})`,
      {
        hint: 'The team is kept small on purpose: remove a member who has not had time recently (`steward security roster`), or raise security.teamMax in steward.yaml.',
      },
    );
  await addTeamMember(d.store.db, u.id, actor.name, d.clock());
  await audit(d, actor, 'security.team.add', `user ${u.name}`, 'ok', { member: u.name, self: u.id === actor.id });
}

/** Removes a member; access to every item ends at once (each request checks membership). */
export async function removeSecurityMember(d: SecurityDeps, actor: AuthUser, userName: string): Promise<void> {
  const may = authorize(actor, 'security.team.manage', { kind: 'security-team' });
  if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  const u = await findUserByName(d.store.db, userName.trim());
  if (!u || !(await removeTeamMember(d.store.db, u.id)))
    throw new StewardError('SECURITY_TRANSITION', `"${userName}" is not on the security team`);
  await audit(d, actor, 'security.team.remove', `user ${u.name}`, 'ok', { member: u.name, self: u.id === actor.id });
}

async function teamRelation(d: SecurityDeps, actor: AuthUser): Promise<SecurityRelation> {
  return { team: (await listTeam(d.store.db)).some((m) => m.userId === actor.id && !m.disabled), grant: null };
}

/** The roster (team only): no text of any item, so it needs no key. */
export async function buildRosterFor(d: SecurityDeps, actor: AuthUser): Promise<SecurityRosterView> {
  const may = authorize(actor, 'security.team.read', { kind: 'security-team', relation: await teamRelation(d, actor) });
  if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  const members = await listTeam(d.store.db);
  const items = await listItemMeta(d.store.db);
  const act = await securityActivity(d.store.db);
  const roster = buildSecurityRoster(
    {
      members: members.map((m) => ({ name: m.name, addedAt: m.addedAt, addedBy: m.addedBy, disabled: m.disabled })),
      items,
      transitions: act.transitions,
      patches: act.patches,
      reviews: act.reviews,
      grants: act.grants,
    },
    d.rules,
    d.clock(),
  );
  const changes = await listAudit(d.store.db, { limit: 50, event: 'security.team' });
  return {
    ...roster,
    teamChanges: changes.map((e) => ({
      at: new Date(e.at).toISOString(),
      event: e.event,
      actor: e.actor,
      member: String(e.detail?.['member'] ?? ''),
      self: e.detail?.['self'] === true,
    })),
  };
}

/** The tracker's audit events (team only), newest first. */
export async function securityAuditFor(d: SecurityDeps, actor: AuthUser, filter: Omit<AuditFilter, 'event'> & { event?: string }) {
  const may = authorize(actor, 'security.team.read', { kind: 'security-team', relation: await teamRelation(d, actor) });
  if (!may.allowed) throw new StewardError('SECURITY_FORBIDDEN', `not allowed: ${may.reason}`);
  const event = filter.event && filter.event.startsWith('security') ? filter.event : 'security';
  const events = await listAudit(d.store.db, { ...filter, event });
  return {
    events: events.map((e) => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      event: e.event,
      actor: e.actor,
      subject: e.subject,
      ip: e.ip,
      outcome: e.outcome,
      detail: e.detail ?? null,
    })),
  };
}

/** Whether `userId` is on the security team now (the web's audit page hides item events from others). */
export async function isSecurityMember(store: Store, userId: number): Promise<boolean> {
  return (await listTeam(store.db)).some((m) => m.userId === userId && !m.disabled);
}

/** Re-seals every text with `next`; `current` must be the store's key. Audited as the command line. */
export async function rotateKey(d: SecurityDeps, next: SecretBox): Promise<number> {
  const current = await needBox(d);
  if (current.keyId === next.keyId) throw new StewardError('SECURITY_KEY', 'the new key is the current key');
  const n = await rotateSecurityKey(d.store.db, current, next);
  checkedKeys.set(d.store, next.keyId);
  await appendAudit(d.store.db, {
    at: d.clock(),
    event: 'security.key.rotate',
    actorId: null,
    actor: 'command line',
    subject: null,
    ip: null,
    outcome: 'ok',
    detail: { from: current.keyId, to: next.keyId, texts: n },
  });
  return n;
}
