/**
 * CI build reports as CI systems post them to Gerrit review messages: Zuul (v2 and v3+, OpenDev and
 * third-party), the Jenkins Gerrit Trigger plugin, and OpenStack's pre-Zuul Jenkins. All of them
 * write one header line and one line per job:
 *
 *     Build failed (check pipeline).  For information on how to proceed, see https://…
 *
 *     - nova-tox-py310 https://zuul.example.org/t/openstack/build/abc123 : SUCCESS in 5m 10s
 *     - nova-ceph-multistore https://… : FAILURE in 1h 02m 03s (non-voting)
 *     - nova-docs : SKIPPED
 *
 * The parser is pure and total: any text gives a report or null, never an exception.
 */
import type { CiResult } from '../../model/records.js';

/**
 * What a report says about the whole build set:
 * - `succeeded` / `failed` / `canceled` / `unstable`: the "Build …" header
 *   ("successful" counts as succeeded, "cancelled" and "aborted" as canceled);
 * - `merge-failed`: Zuul could not merge the change ("Merge Failed.", or "This change was not
 *   merged by the code review system."); such reports list no jobs;
 * - `dependency-failed`: Zuul dequeued the change because of a change it depends on ("This change
 *   depends on a change that failed to merge.", "This change is part of a dependency cycle that
 *   failed."); may list jobs.
 */
export type CiOutcome = 'succeeded' | 'failed' | 'canceled' | 'unstable' | 'merge-failed' | 'dependency-failed';

/** One job line of a report. */
export interface CiJobResult {
  job: string;
  /** The upper-case result word as posted (SUCCESS, FAILURE, …; unknown words kept verbatim). */
  result: CiResult;
  /** False when the line ends with "(non-voting)". */
  voting: boolean;
  /** From "in 1h 02m 03s" / "in 5m 10s" / "in 45s"; null when the line gives no time. */
  durationSeconds: number | null;
  /** The job's log or build page URL; null when the line has none (skipped jobs, errors). */
  logUrl: string | null;
}

export interface CiReport {
  /** "check", "gate", … from "(check pipeline)"; null when the header names none (Jenkins, merge failures). */
  pipeline: string | null;
  outcome: CiOutcome;
  /** In the order the report lists them; empty for merge failures and header-only reports. */
  jobs: CiJobResult[];
}

const OUTCOME_WORDS: ReadonlyMap<string, CiOutcome> = new Map([
  ['succeeded', 'succeeded'],
  ['successful', 'succeeded'],
  ['failed', 'failed'],
  ['canceled', 'canceled'],
  ['cancelled', 'canceled'],
  ['aborted', 'canceled'],
  ['unstable', 'unstable'],
]);

// "Build" keeps its capital B and the sentence must end right after the outcome (or the pipeline)
// so that a reviewer's "Build failed due to a mirror outage, recheck" is not taken for a report;
// the outcome word is matched case-insensitively because the Gerrit Trigger plugin writes
// "Build Successful".
const BUILD_HEADER = /^Build ([A-Za-z]+)(?: \(([\w.-]+) pipeline\))?(?:\.|$)/;
const MERGE_FAILED_HEADER = /^(?:Merge Failed\b|This change was not merged by the code review system\b)/;
const DEPENDENCY_HEADER = /^This change (?:depends on a change that failed to merge|is part of a dependency cycle that failed)\b/;
const COMMENT_COUNT_LINE = /^\((?:\d+) (?:inline )?comments?\)$/;
const RESULT_HEAD = /^([A-Z][A-Z0-9_]*)(?=\s|$)/;
const NON_VOTING_TAIL = /\s*\(non-voting\)\s*$/;
const DURATION_TAIL = /(?:^|\s)in (?:(\d+)h ?)?(?:(\d+)m ?)?(?:(\d+)s)?\s*$/;
const ABSOLUTE_URL = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const JENKINS_JOB_IN_URL = /\/job\/([^/\s]+)/;

/**
 * Parse a CI report message into its outcome, pipeline and job results.
 *
 * Accepts the text with or without Gerrit's "Patch Set N: Verified+1" first line and "(N comments)"
 * line. The report header must be the first line after those.
 *
 * @example
 * parseCiReport('Patch Set 2: Verified+1\n\nBuild succeeded (check pipeline).\n\n- nova-tox-py310 https://zuul.example.org/t/openstack/build/abc : SUCCESS in 5m 10s\n')
 * // { pipeline: 'check', outcome: 'succeeded',
 * //   jobs: [{ job: 'nova-tox-py310', result: 'SUCCESS', voting: true, durationSeconds: 310, logUrl: 'https://…/abc' }] }
 * @returns the report, or null when the text is not a build report (a human comment, Zuul's
 *   "Starting check jobs.", a Zuul configuration error, …).
 */
export function parseCiReport(text: string): CiReport | null {
  if (typeof text !== 'string' || text.length === 0) return null;
  // Walk line by line up to the header so that long human comments are rejected without splitting.
  let pos = 0;
  if (text.startsWith('Patch Set ')) pos = nextLine(text, 0);
  let header: string | undefined;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).trim();
    pos = end + 1;
    if (line === '' || COMMENT_COUNT_LINE.test(line)) continue;
    header = line;
    break;
  }
  if (header === undefined) return null;

  let outcome: CiOutcome;
  let pipeline: string | null = null;
  const build = BUILD_HEADER.exec(header);
  if (build) {
    const word = OUTCOME_WORDS.get((build[1] ?? '').toLowerCase());
    if (!word) return null;
    outcome = word;
    pipeline = build[2] ?? null;
  } else if (MERGE_FAILED_HEADER.test(header)) {
    outcome = 'merge-failed';
  } else if (DEPENDENCY_HEADER.test(header)) {
    outcome = 'dependency-failed';
  } else {
    return null;
  }

  const jobs: CiJobResult[] = [];
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const job = parseJobLine(text.slice(pos, end));
    if (job) jobs.push(job);
    pos = end + 1;
  }
  return { pipeline, outcome, jobs };
}

function lineEnd(text: string, from: number): number {
  const i = text.indexOf('\n', from);
  return i < 0 ? text.length : i;
}

function nextLine(text: string, from: number): number {
  return lineEnd(text, from) + 1;
}

/**
 * Parse a duration as CI reports write it ("1h 02m 03s", "5m 10s", "45s").
 *
 * @example parseCiDuration('1h 02m 03s') // 3723
 * @returns seconds, or null when the text is not such a duration.
 */
export function parseCiDuration(text: string): number | null {
  const m = DURATION_TAIL.exec(`in ${text.trim()}`);
  return m ? durationOf(m) : null;
}

function durationOf(m: RegExpExecArray): number | null {
  const [, h, min, s] = m;
  if (h === undefined && min === undefined && s === undefined) return null;
  return Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
}

/**
 * One job line: "- NAME [URL] : RESULT[ detail][ in DURATION][ (non-voting)]". The Gerrit Trigger
 * plugin's "URL : RESULT" form (no bullet, no name) names the job by the URL's /job/NAME/ segment.
 */
function parseJobLine(raw: string): CiJobResult | null {
  const canonical = parseCanonicalJobLine(raw);
  return canonical !== undefined ? canonical : parseJobLineByRules(raw);
}

const isUpper = (c: number): boolean => c >= 65 && c <= 90;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
// Printable ASCII other than the space: what a job name or URL is made of in the usual lines.
const isPlainChar = (c: number): boolean => c > 32 && c < 127;
const NON_VOTING = ' (non-voting)';

/**
 * The usual line, as Zuul writes it, read without regular expressions: "- NAME URL : RESULT" and
 * optionally " in 1h 02m 03s" and " (non-voting)", single spaces, printable ASCII name and URL.
 * About 500 ns a line where the general rules below take about 700 (2.2 million lines in the
 * 100,000-change bench export). It gives the same result for the lines it accepts
 * (ci-report-parser.test.ts compares the two) and undefined for any other line, which the general
 * rules then read.
 */
function parseCanonicalJobLine(raw: string): CiJobResult | null | undefined {
  const n = raw.length;
  if (n < 8 || raw.charCodeAt(0) !== 45 /* - */ || raw.charCodeAt(1) !== 32) return undefined;
  const last = raw.charCodeAt(n - 1);
  if (!(isPlainChar(last) && last !== 58 /* : */)) return undefined;
  let i = 2;
  while (i < n && isPlainChar(raw.charCodeAt(i))) i++;
  const nameEnd = i;
  if (nameEnd === 2 || raw.charCodeAt(i) !== 32) return undefined;
  i++;
  const urlStart = i;
  while (i < n && isPlainChar(raw.charCodeAt(i))) i++;
  const urlEnd = i;
  if (urlEnd === urlStart || !raw.startsWith(' : ', urlEnd)) return undefined;
  const job = raw.slice(2, nameEnd);
  const url = raw.slice(urlStart, urlEnd);
  if (url === job || !(url.startsWith('https://') || url.startsWith('http://'))) return undefined;
  i = urlEnd + 3;
  const resultStart = i;
  if (!isUpper(raw.charCodeAt(i))) return undefined;
  i++;
  for (let c = raw.charCodeAt(i); i < n && (isUpper(c) || isDigit(c) || c === 95) /* _ */; c = raw.charCodeAt(++i));
  const result = raw.slice(resultStart, i);
  let end = n;
  let voting = true;
  if (raw.endsWith(NON_VOTING) && end - NON_VOTING.length >= i) {
    voting = false;
    end -= NON_VOTING.length;
  }
  if (i === end) return { job, result, voting, durationSeconds: null, logUrl: url };
  if (!raw.startsWith(' in ', i)) return undefined;
  i += 4;
  // "Nh Nm Ns", each part optional but in that order, at least one, single spaces between.
  let seconds = 0;
  let unitsSeen = 0; // 1 h, 2 m, 3 s: each part must come after the one before it
  while (i < end) {
    const digitsStart = i;
    while (i < end && isDigit(raw.charCodeAt(i))) i++;
    if (i === digitsStart || i === end) return undefined;
    const unit = raw.charCodeAt(i);
    const rank = unit === 104 /* h */ ? 1 : unit === 109 /* m */ ? 2 : unit === 115 /* s */ ? 3 : 0;
    if (rank <= unitsSeen) return undefined;
    unitsSeen = rank;
    seconds += Number(raw.slice(digitsStart, i)) * (rank === 1 ? 3600 : rank === 2 ? 60 : 1);
    i++;
    if (i < end) {
      if (raw.charCodeAt(i) !== 32 || i + 1 === end) return undefined;
      i++;
    }
  }
  if (unitsSeen === 0) return undefined;
  return { job, result, voting, durationSeconds: seconds, logUrl: url };
}

/**
 * The general rules for a job line (any spacing, any job-name or URL form, text between the result
 * and the duration). Exported for the test that holds the canonical reader to the same results.
 * @internal
 */
export function parseJobLineByRules(raw: string): CiJobResult | null {
  let line = raw.trim();
  if (line.startsWith('- ') || line.startsWith('* ')) line = line.slice(2);
  else if (!line.startsWith('http')) return null;
  const sep = line.indexOf(' : ');
  if (sep < 0) return null;

  const left = line.slice(0, sep).trim().split(/\s+/);
  let job: string;
  let logUrl: string | null = null;
  if (left.length === 2) {
    job = left[0] ?? '';
    const url = left[1] ?? '';
    // Zuul writes the job name in the URL slot when a build has no URL ("- job job : SKIPPED").
    logUrl = url !== job && ABSOLUTE_URL.test(url) ? url : null;
  } else if (left.length === 1) {
    const only = left[0] ?? '';
    if (ABSOLUTE_URL.test(only)) {
      logUrl = only;
      job = JENKINS_JOB_IN_URL.exec(only)?.[1] ?? only;
    } else {
      job = only;
    }
  } else {
    return null;
  }
  if (job === '') return null;

  let rest = line.slice(sep + 3).trim();
  const head = RESULT_HEAD.exec(rest);
  if (!head) return null;
  const result = head[1] ?? '';
  rest = rest.slice(result.length);

  let voting = true;
  const nonVoting = NON_VOTING_TAIL.exec(rest);
  if (nonVoting) {
    voting = false;
    rest = rest.slice(0, nonVoting.index);
  }
  const duration = DURATION_TAIL.exec(rest);
  const durationSeconds = duration ? durationOf(duration) : null;
  return { job, result, voting, durationSeconds, logUrl };
}
