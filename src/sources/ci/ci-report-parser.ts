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
  if (pos < text.length) {
    for (const line of text.slice(pos).split('\n')) {
      const job = parseJobLine(line);
      if (job) jobs.push(job);
    }
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
