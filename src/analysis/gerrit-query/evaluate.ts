/**
 * Evaluates Gerrit change-search queries against the store's changes (model/flow.ts), with
 * Gerrit's meaning wherever the store holds the answer and an error pointing at the operator
 * wherever it does not: never a silently different result.
 *
 * Operators (values may be "quoted"; USER is a username, email, full name, Gerrit account id or
 * `self`, which needs the caller to say who "self" is):
 * - `status:open|new|pending|merged|abandoned|closed`, `is:open|closed|merged|abandoned|wip|reviewed|owner|reviewer`;
 * - `project:P` (exact, or `^regex`), `projects:PREFIX`, `branch:B` (exact or `^regex`),
 *   `topic:T` (exact or `^regex`), `intopic:TEXT`, `hashtag:H`, `change:N` (or a bare number);
 * - `owner:USER`, `reviewer:USER` (voted or commented on the change; Gerrit's reviewer list itself
 *   is not exported), `reviewedby:USER` (posted a message after the owner's last one, as Gerrit
 *   defines it), `commentby:USER`;
 * - `label:NAME<op>VALUE[,user=U|,group=G|,U|,G]` with op `=`, `>=`, `<=`, `>`, `<` or the `+N`/`-N`
 *   shorthand and VALUE an integer or ANY, over the current patch set's final votes (copied votes
 *   included, bots included). A range that includes 0 is refused: Gerrit versions disagree on
 *   whether a missing vote counts as 0. MAX and MIN are refused: label ranges are not exported.
 *   Groups: a project's `core.group` from steward.yaml, or `core` for the configured core teams;
 * - `age:N<unit>` (since the last update), `before:`/`until:`, `after:`/`since:` (last update);
 * - `delta:`/`size:`, `added:`, `deleted:` with `<`, `<=`, `>`, `>=` or `=` (latest patch set);
 * - `message:TEXT` (case-insensitive substring of the latest commit message), `file:F` (a path, a
 *   run of whole path segments, or `^regex`), `path:P` (exact or `^regex`);
 * - `bug:N` / `tr:N` (any bug line or bug/N topic), `blueprint:NAME`;
 * - `limit:N` (whole-query only); `AND`, `OR`, `NOT`, `-`, parentheses.
 */
import type { FlowChange } from '../../model/flow.js';
import type { Timestamp } from '../../model/records.js';
import { finalVotes, situationAt, type FinalVote, type FlowContext, type Situation } from '../queue-state.js';
import { parseQuery, type QueryNode } from './parser.js';
import { QueryError } from './query-error.js';

export interface QueryAccounts {
  /** Store ids of the accounts a user spec names (username, email, full name, Gerrit id); [] when none. */
  resolveUser(spec: string): number[];
  /** Members of a group Steward knows, or null. */
  resolveGroup(name: string): ReadonlySet<number> | null;
  /** Who `self` is (`--as`), or null. */
  self: number | null;
}

export interface QueryEnv {
  now: Timestamp;
  flow: FlowContext;
  accounts: QueryAccounts;
}

/** What a compiled query needs loaded beyond votes and patch sets. */
export interface QueryNeeds {
  messages: boolean;
  files: boolean;
  commitMessage: boolean;
  details: boolean;
}

export interface CompiledQuery {
  query: string;
  matches(v: QueryView): boolean;
  /** From `limit:N`, or null. */
  limit: number | null;
  /** The query only matches changes open at `now` (a top-level `status:open` or `is:open`). */
  onlyOpen: boolean;
  needs: QueryNeeds;
}

/** A change as the evaluator sees it at `now`; derived facts are computed once, when first asked. */
export class QueryView {
  readonly change: FlowChange;
  private readonly env: QueryEnv;
  private cache: {
    situation?: Situation;
    votes?: FinalVote[];
    updated?: Timestamp;
    reviewedBy?: Set<number>;
    participants?: Set<number>;
    commenters?: Set<number>;
  } = {};

  constructor(change: FlowChange, env: QueryEnv) {
    this.change = change;
    this.env = env;
  }

  get situation(): Situation {
    return (this.cache.situation ??= situationAt(this.change, this.env.flow, this.env.now));
  }

  /** Created before now (a change created later does not exist yet). */
  get exists(): boolean {
    return this.change.created < this.env.now;
  }

  get open(): boolean {
    return this.situation.state !== 'closed';
  }

  get merged(): boolean {
    return this.change.mergedAt !== null && this.change.mergedAt <= this.env.now;
  }

  get abandoned(): boolean {
    return this.exists && !this.open && !this.merged;
  }

  /** Final non-zero votes on the current patch set, as of now. */
  get votes(): FinalVote[] {
    const ps = this.situation.patchSet;
    return (this.cache.votes ??= finalVotes(this.change.votes, ps, this.env.now - 1));
  }

  /** Last update at or before now. */
  get updated(): Timestamp {
    if (this.cache.updated !== undefined) return this.cache.updated;
    const c = this.change;
    let u = c.updated;
    if (u > this.env.now) {
      u = c.created;
      for (const p of c.patchSets) if (p.created <= this.env.now && p.created > u) u = p.created;
      for (const v of c.votes) if (!v.copied && v.at <= this.env.now && v.at > u) u = v.at;
      for (const m of c.messages) if (m.at <= this.env.now && m.at > u) u = m.at;
    }
    return (this.cache.updated = u);
  }

  /** Gerrit's "reviewed by": authors of messages after the owner's last message. */
  get reviewedBy(): Set<number> {
    if (this.cache.reviewedBy) return this.cache.reviewedBy;
    const out = new Set<number>();
    const msgs = this.change.messages.filter((m) => m.at <= this.env.now && m.authorId !== null);
    for (let i = msgs.length - 1; i >= 0; i--) {
      const a = msgs[i]!.authorId!;
      if (a === this.change.ownerId) break;
      out.add(a);
    }
    return (this.cache.reviewedBy = out);
  }

  /** Accounts that voted or posted a review message (the owner only when they voted). */
  get participants(): Set<number> {
    if (this.cache.participants) return this.cache.participants;
    const out = new Set<number>();
    for (const v of this.change.votes) if (!v.copied && v.at <= this.env.now) out.add(v.voterId);
    for (const m of this.change.messages) {
      if (
        m.authorId !== null &&
        m.authorId !== this.change.ownerId &&
        m.at <= this.env.now &&
        (m.kind === 'review' || m.kind === 'comment' || m.kind === 'ci-report')
      )
        out.add(m.authorId);
    }
    return (this.cache.participants = out);
  }

  get commenters(): Set<number> {
    if (this.cache.commenters) return this.cache.commenters;
    const out = new Set<number>();
    for (const m of this.change.messages)
      if (m.authorId !== null && m.at <= this.env.now && (m.kind === 'review' || m.kind === 'comment')) out.add(m.authorId);
    return (this.cache.commenters = out);
  }
}

type Pred = (v: QueryView) => boolean;
type TermNode = Extract<QueryNode, { kind: 'term' }>;

const AGE_UNITS: Record<string, number> = {
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  seconds: 1_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
  mon: 30 * 86_400_000,
  month: 30 * 86_400_000,
  months: 30 * 86_400_000,
  y: 365 * 86_400_000,
  year: 365 * 86_400_000,
  years: 365 * 86_400_000,
};

/** Operators Gerrit has that Steward cannot answer from its store, with the reason. */
const UNANSWERABLE: Record<string, string> = {
  'is:mergeable': 'whether a change merges cleanly is not in the exports Steward reads',
  'is:submittable': 'submit records are not in the exports Steward reads',
  'is:starred': 'stars belong to a logged-in Gerrit user',
  'is:watched': 'watches belong to a logged-in Gerrit user',
  'is:ignored': 'ignores belong to a logged-in Gerrit user',
  'is:attention': 'the attention set is not in the exports Steward reads',
  'is:private': 'privacy is not kept by the flow loader',
  'is:pure-revert': 'revert detection is not in the exports Steward reads',
  'is:cherrypick': 'cherry-pick origins are not kept by the flow loader',
  'has:draft': 'drafts belong to a logged-in Gerrit user',
  'has:star': 'stars belong to a logged-in Gerrit user',
  'has:edit': 'change edits are not in the exports',
  'has:unresolved': 'inline comment threads are not in the exports Steward reads',
};

const UNSUPPORTED_OPERATORS = new Set([
  'cc',
  'attention',
  'assignee',
  'uploader',
  'author',
  'committer',
  'ownerin',
  'reviewerin',
  'rule',
  'submittable',
  'parentproject',
  'repo',
  'inhashtag',
  'directory',
  'dir',
  'ext',
  'extension',
  'onlyextensions',
  'footer',
  'destination',
  'query',
  'star',
  'comment',
  'mergedbefore',
  'mergedafter',
  'revertof',
  'submissionid',
  'conflicts',
  'commit',
  'label-count',
  'unresolved',
  'pureRevert',
  'cherrypickof',
  'topic-count',
]);

const KNOWN =
  'status, is, project, projects, branch, topic, intopic, hashtag, change, owner, reviewer, reviewedby, commentby, label, age, before, until, after, since, delta, size, added, deleted, message, file, path, bug, tr, blueprint, limit';

/**
 * Compiles a query for evaluation: every operator is checked (and users and groups resolved) here,
 * so an error surfaces before any change is looked at.
 */
export function compileQuery(query: string, env: QueryEnv): CompiledQuery {
  const ast = parseQuery(query);
  const needs: QueryNeeds = { messages: false, files: false, commitMessage: false, details: false };
  const top = ast.kind === 'and' ? ast.children : [ast];
  let limit: number | null = null;
  const limitTerms = new Set<QueryNode>();
  for (const t of top) {
    if (t.kind === 'term' && t.operator?.toLowerCase() === 'limit') {
      if (!/^\d+$/.test(t.value) || Number(t.value) < 1) throw err(t, `limit: needs a whole number ≥ 1, not "${t.value}"`);
      limit = Math.min(limit ?? Number.MAX_SAFE_INTEGER, Number(t.value));
      limitTerms.add(t);
    }
  }
  const onlyOpen = top.some(
    (t) =>
      t.kind === 'term' &&
      ((t.operator?.toLowerCase() === 'status' && ['open', 'new', 'pending'].includes(t.value.toLowerCase())) ||
        (t.operator?.toLowerCase() === 'is' && t.value.toLowerCase() === 'open')),
  );

  function err(t: TermNode, message: string, hint: string | null = null): QueryError {
    return new QueryError(message, query, t.pos, t.end - t.pos, hint);
  }

  function users(t: TermNode, spec: string): Set<number> {
    if (spec.toLowerCase() === 'self') {
      if (env.accounts.self === null)
        throw err(t, `\`${t.operator}:self\` needs to know who "self" is`, 'Give --as USERNAME (Steward has no logged-in user).');
      return new Set([env.accounts.self]);
    }
    const ids = env.accounts.resolveUser(spec);
    if (!ids.length)
      throw err(t, `no account "${spec}" in the store`, 'Use a username, email, full name or Gerrit account id of someone in the store.');
    return new Set(ids);
  }

  function build(node: QueryNode): Pred {
    if (node.kind === 'and') {
      const ps = node.children.map(build);
      return (v) => ps.every((p) => p(v));
    }
    if (node.kind === 'or') {
      const ps = node.children.map(build);
      return (v) => ps.some((p) => p(v));
    }
    if (node.kind === 'not') {
      const p = build(node.child);
      return (v) => !p(v);
    }
    return term(node);
  }

  function regexOrExact(t: TermNode, value: string, pick: (v: QueryView) => string | null): Pred {
    if (value.startsWith('^')) {
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch (e) {
        throw err(t, `not a valid regular expression: ${(e as Error).message}`);
      }
      return (v) => {
        const x = pick(v);
        return x !== null && re.test(x);
      };
    }
    return (v) => pick(v) === value;
  }

  function compare(t: TermNode, raw: string): (x: number) => boolean {
    const m = /^(>=|<=|>|<|=)?(\d+)$/.exec(raw);
    if (!m) throw err(t, `${t.operator}: expected a number with an optional <, <=, >, >= or =, like ${t.operator}:<=10; got "${raw}"`);
    const n = Number(m[2]);
    switch (m[1] ?? '=') {
      case '>=':
        return (x) => x >= n;
      case '<=':
        return (x) => x <= n;
      case '>':
        return (x) => x > n;
      case '<':
        return (x) => x < n;
      default:
        return (x) => x === n;
    }
  }

  function parseTime(t: TermNode, raw: string): number {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?(?:\s*([+-]\d{2}:?\d{2}|Z))?$/.exec(raw.trim());
    if (!m) throw err(t, `${t.operator}: expected a time like 2015-04-10 or "2015-04-10 15:04:05", got "${raw}"`);
    const time = m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2].replace(/(\.\d{3})\d+$/, '$1')) : '00:00:00';
    const zone = !m[3] || m[3] === 'Z' ? 'Z' : m[3].length === 5 ? `${m[3].slice(0, 3)}:${m[3].slice(3)}` : m[3];
    const ms = Date.parse(`${m[1]}T${time}${zone}`);
    if (Number.isNaN(ms)) throw err(t, `${t.operator}: not a real time: "${raw}"`);
    return ms;
  }

  function term(t: TermNode): Pred {
    if (limitTerms.has(t)) return () => true;
    if (t.operator === null) {
      if (!t.quoted && /^\d+$/.test(t.value)) {
        const n = Number(t.value);
        return (v) => v.change.number === n;
      }
      throw err(
        t,
        `"${t.value}" has no operator`,
        `Steward does not guess which field a bare word searches: write it with an operator (${KNOWN}).`,
      );
    }
    const op = t.operator.toLowerCase();
    const value = t.value;
    const lower = value.toLowerCase();
    if (UNANSWERABLE[`${op}:${lower}`])
      throw err(
        t,
        `Steward cannot evaluate \`${op}:${value}\`: ${UNANSWERABLE[`${op}:${lower}`]}`,
        'Remove it, or open the dashboard in Gerrit itself (--gerrit-url).',
      );
    switch (op) {
      case 'limit':
        throw err(t, 'limit: applies to the whole query: put it at the top level, not inside OR, NOT or parentheses');
      case 'status':
        if (lower === 'open' || lower === 'new' || lower === 'pending') return (v) => v.open;
        if (lower === 'merged') return (v) => v.merged;
        if (lower === 'abandoned') return (v) => v.abandoned;
        if (lower === 'closed') return (v) => v.merged || v.abandoned;
        throw err(t, `status: expected open, merged, abandoned or closed, got "${value}"`);
      case 'is':
        switch (lower) {
          case 'open':
          case 'pending':
          case 'new':
            return (v) => v.open;
          case 'closed':
            return (v) => v.merged || v.abandoned;
          case 'merged':
            return (v) => v.merged;
          case 'abandoned':
            return (v) => v.abandoned;
          case 'wip':
            return (v) => v.open && v.situation.wip === 'flag';
          case 'reviewed':
            needs.messages = true;
            return (v) => v.reviewedBy.size > 0;
          case 'owner': {
            const ids = users(t, 'self');
            return (v) => ids.has(v.change.ownerId);
          }
          case 'reviewer': {
            needs.messages = true;
            const ids = users(t, 'self');
            return (v) => [...ids].some((id) => v.participants.has(id));
          }
          default:
            throw err(
              t,
              `unknown is:${value}`,
              'Steward knows is:open, is:closed, is:merged, is:abandoned, is:wip, is:reviewed, is:owner, is:reviewer.',
            );
        }
      case 'has':
        throw err(t, `unknown has:${value}`, 'Steward knows no has: operator.');
      case 'project':
        return regexOrExact(t, value, (v) => v.change.project);
      case 'projects':
        return (v) => v.change.project.startsWith(value);
      case 'branch': {
        const b = value.startsWith('refs/heads/') ? value.slice('refs/heads/'.length) : value;
        return regexOrExact(t, b, (v) => v.change.branch);
      }
      case 'topic':
        needs.details = true;
        return regexOrExact(t, value, (v) => v.change.topic);
      case 'intopic':
        needs.details = true;
        return (v) => (v.change.topic ?? '').toLowerCase().includes(lower);
      case 'hashtag':
        needs.details = true;
        return (v) => v.change.hashtags.some((h) => h.toLowerCase() === lower);
      case 'change':
        if (!/^\d+$/.test(value)) throw err(t, `change: Steward matches change numbers only, not "${value}"`);
        return (v) => v.change.number === Number(value);
      case 'owner': {
        const ids = users(t, value);
        return (v) => ids.has(v.change.ownerId);
      }
      case 'reviewer': {
        needs.messages = true;
        const ids = users(t, value);
        return (v) => [...ids].some((id) => v.participants.has(id));
      }
      case 'reviewedby': {
        needs.messages = true;
        const ids = users(t, value);
        return (v) => [...ids].some((id) => v.reviewedBy.has(id));
      }
      case 'commentby': {
        needs.messages = true;
        const ids = users(t, value);
        return (v) => [...ids].some((id) => v.commenters.has(id));
      }
      case 'label':
        return label(t);
      case 'age': {
        const m = /^(\d+)\s*([a-z]+)$/i.exec(value);
        const unit = m ? AGE_UNITS[m[2]!.toLowerCase()] : undefined;
        if (!m || unit === undefined)
          throw err(
            t,
            `age: expected an amount with a unit, like age:2d or age:3weeks; got "${value}"`,
            'Units: s, m(in), h(our), d(ay), w(eek), mon(th), y(ear).',
          );
        const ms = Number(m[1]) * unit;
        return (v) => env.now - v.updated >= ms;
      }
      case 'before':
      case 'until': {
        const at = parseTime(t, value);
        return (v) => v.updated <= at;
      }
      case 'after':
      case 'since': {
        const at = parseTime(t, value);
        return (v) => v.updated >= at;
      }
      case 'delta':
      case 'size': {
        const f = compare(t, value);
        return (v) => f(v.change.insertions + v.change.deletions);
      }
      case 'added': {
        const f = compare(t, value);
        return (v) => f(v.change.insertions);
      }
      case 'deleted': {
        const f = compare(t, value);
        return (v) => f(v.change.deletions);
      }
      case 'message': {
        needs.commitMessage = true;
        const needle = lower.replace(/\s+/g, ' ');
        if (!needle.trim()) throw err(t, 'message: needs some text');
        return (v) => (v.change.commitMessage ?? '').toLowerCase().replace(/\s+/g, ' ').includes(needle);
      }
      case 'file': {
        needs.files = true;
        if (value.startsWith('^')) return anyFile(t, value);
        const seg = `/${value.replace(/^\/+|\/+$/g, '')}/`;
        return (v) => (v.change.files ?? []).some((f) => f.path === value || `/${f.path}/`.includes(seg));
      }
      case 'path': {
        needs.files = true;
        if (value.startsWith('^')) return anyFile(t, value);
        return (v) => (v.change.files ?? []).some((f) => f.path === value);
      }
      case 'bug':
      case 'tr': {
        needs.details = true;
        const n = value.replace(/^#/, '');
        if (!/^\d+$/.test(n)) throw err(t, `${op}: expected a bug number, got "${value}"`);
        return (v) =>
          v.change.links.some(
            (l) =>
              (l.kind === 'closes-bug' || l.kind === 'partial-bug' || l.kind === 'related-bug' || l.kind === 'topic-bug') && l.target === n,
          );
      }
      case 'blueprint':
      case 'bp': {
        needs.details = true;
        return (v) =>
          v.change.links.some(
            (l) => (l.kind === 'implements' || l.kind === 'partially-implements' || l.kind === 'topic-blueprint') && l.target === lower,
          );
      }
      default:
        if (UNSUPPORTED_OPERATORS.has(op))
          throw err(
            t,
            `Steward cannot evaluate \`${op}:\`: the data it needs is not in the store`,
            `Operators Steward evaluates: ${KNOWN}.`,
          );
        throw err(t, `unknown operator \`${t.operator}:\``, `Operators Steward evaluates: ${KNOWN}.`);
    }
  }

  function anyFile(t: TermNode, value: string): Pred {
    let re: RegExp;
    try {
      re = new RegExp(value);
    } catch (e) {
      throw err(t, `not a valid regular expression: ${(e as Error).message}`);
    }
    return (v) => (v.change.files ?? []).some((f) => re.test(f.path));
  }

  function label(t: TermNode): Pred {
    const [spec, ...args] = t.value.split(',');
    const m = /^([A-Za-z0-9_-]+?)(>=|<=|=|>|<|(?=[+-]\d))(.*)$/.exec(spec ?? '');
    if (!m || !m[3])
      throw err(t, `label: expected NAME, a comparison and a value, like label:Code-Review>=2 or label:Verified-1; got "${t.value}"`);
    const name = m[1]!.toLowerCase();
    const op = m[2] || '=';
    const raw = m[3];
    let test: (x: number) => boolean;
    if (raw.toUpperCase() === 'ANY') {
      if (op !== '=') throw err(t, 'label: ANY goes with =, like label:Code-Review=ANY');
      test = () => true;
    } else if (raw.toUpperCase() === 'MAX' || raw.toUpperCase() === 'MIN') {
      throw err(
        t,
        `Steward cannot evaluate label:…=${raw.toUpperCase()}: label ranges are not in the exports`,
        'Write the value, like label:Code-Review=2.',
      );
    } else if (/^[+-]?\d+$/.test(raw)) {
      const n = Number(raw);
      const zero = op === '=' ? n === 0 : op === '>=' ? n <= 0 : op === '<=' ? n >= 0 : op === '>' ? n < 0 : n > 0;
      if (zero) {
        throw err(
          t,
          `label range includes 0 ("${spec}"): Gerrit versions disagree on whether a missing vote counts as 0, so Steward refuses to guess`,
          `For "has a vote" write (label:${m[1]}<=-1 OR label:${m[1]}>=1); for "no vote" write -label:${m[1]}<=-1 -label:${m[1]}>=1.`,
        );
      }
      test =
        op === '>=' ? (x) => x >= n : op === '<=' ? (x) => x <= n : op === '>' ? (x) => x > n : op === '<' ? (x) => x < n : (x) => x === n;
    } else {
      throw err(t, `label: expected an integer, ANY, MAX or MIN as the value, got "${raw}"`);
    }
    let who: ReadonlySet<number> | null = null;
    let ownerOnly = false;
    if (args.length > 1) throw err(t, 'label: takes at most one of ,user=… ,group=… or ,NAME');
    if (args.length === 1) {
      const a = args[0]!;
      const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')).toLowerCase(), a.slice(a.indexOf('=') + 1)] : [null, a];
      if (k === 'user') who = users(t, v);
      else if (k === 'group') {
        who = env.accounts.resolveGroup(v);
        if (!who)
          throw err(
            t,
            `group "${v}" is unknown to Steward`,
            'Steward knows the core groups of steward.yaml (projects[].core.group) and `core` for the configured core teams.',
          );
      } else if (k !== null) throw err(t, `label: Steward evaluates ,user= and ,group=, not ,${k}=`);
      else if (v.toLowerCase() === 'owner') ownerOnly = true;
      else if (v.toLowerCase() === 'self') who = users(t, 'self');
      else {
        const ids = env.accounts.resolveUser(v);
        who = ids.length ? new Set(ids) : env.accounts.resolveGroup(v);
        if (!who)
          throw err(
            t,
            `"${v}" is neither an account in the store nor a group Steward knows`,
            'Use ,user=NAME or ,group=NAME; groups are projects[].core.group in steward.yaml, or `core`.',
          );
      }
    }
    return (v) =>
      v.votes.some(
        (x) =>
          x.label.toLowerCase() === name &&
          (who === null || who.has(x.voterId)) &&
          (!ownerOnly || x.voterId === v.change.ownerId) &&
          test(x.value),
      );
  }

  const pred = build(ast);
  return { query, matches: pred, limit, onlyOpen, needs };
}

/** Changes matching a query, most recently updated first (Gerrit's order), cut at its limit. */
export function runQuery(q: CompiledQuery, views: readonly QueryView[]): QueryView[] {
  const hits = views.filter((v) => v.exists && q.matches(v));
  hits.sort((a, b) => b.updated - a.updated || b.change.number - a.change.number);
  return q.limit !== null ? hits.slice(0, q.limit) : hits;
}
