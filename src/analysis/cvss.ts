/**
 * CVSS v3.1 base scores, from the FIRST specification (section 7.1 formulas, 7.4 metric values,
 * appendix A Roundup). Pure: a vector in, its metrics, base score and severity out.
 */
import { StewardError } from '../model/errors.js';
import type { CvssSeverity } from '../model/security.js';

const WEIGHTS = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  PR: { N: 0.85, L: 0.62, H: 0.27 },
  UI: { N: 0.85, R: 0.62 },
  S: { U: 0, C: 0 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 },
} as const;

/** Privileges Required weighs more when the scope changes (spec 7.4). */
const PR_CHANGED = { N: 0.85, L: 0.68, H: 0.5 } as const;

type Metric = keyof typeof WEIGHTS;
const BASE_METRICS = Object.keys(WEIGHTS) as Metric[];
/** Temporal and environmental metrics may follow the base ones; they do not change the base score. */
const OTHER_METRICS = new Set(['E', 'RL', 'RC', 'CR', 'IR', 'AR', 'MAV', 'MAC', 'MPR', 'MUI', 'MS', 'MC', 'MI', 'MA']);

export type { CvssSeverity };

export interface CvssScore {
  /** The vector as given, normalised to the base metrics in the specification's order. */
  vector: string;
  metrics: Record<Metric, string>;
  /** 0.0–10.0, one decimal. */
  baseScore: number;
  severity: CvssSeverity;
}

/**
 * The specification's Roundup: the smallest number with one decimal ≥ the input, computed on
 * integers so that 4.000000000000001 is 4.0, not 4.1 (spec appendix A).
 */
export function roundUp(x: number): number {
  const i = Math.round(x * 100_000);
  return i % 10_000 === 0 ? i / 100_000 : (Math.floor(i / 10_000) + 1) / 10;
}

/** The qualitative rating of a base score (spec section 5). */
export function severityOf(score: number): CvssSeverity {
  if (score === 0) return 'None';
  if (score < 4) return 'Low';
  if (score < 7) return 'Medium';
  if (score < 9) return 'High';
  return 'Critical';
}

/**
 * Parses a CVSS v3.1 vector and computes its base score. Throws CVSS_INVALID naming the part at
 * fault (a missing, repeated or unknown metric, or a value the metric does not take).
 *
 * @example cvssBaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') // → { baseScore: 9.8, severity: 'Critical', … }
 */
export function cvssBaseScore(vector: string): CvssScore {
  const bad = (msg: string) =>
    new StewardError('CVSS_INVALID', `CVSS vector "${vector}": ${msg}`, {
      hint: 'Give a CVSS v3.1 vector such as CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H (the FIRST calculator writes them).',
    });
  const parts = vector.trim().split('/');
  if (parts[0] !== 'CVSS:3.1') throw bad('it must start with "CVSS:3.1/"');
  const seen = new Map<string, string>();
  for (const part of parts.slice(1)) {
    const m = /^([A-Z]+):([A-Z])$/.exec(part);
    if (!m) throw bad(`"${part}" is not METRIC:VALUE`);
    const [, key, value] = m as unknown as [string, string, string];
    if (seen.has(key)) throw bad(`metric ${key} is given twice`);
    if (!Object.hasOwn(WEIGHTS, key) && !OTHER_METRICS.has(key)) throw bad(`unknown metric ${key}`);
    if (Object.hasOwn(WEIGHTS, key) && !Object.hasOwn(WEIGHTS[key as Metric], value)) {
      throw bad(`metric ${key} takes ${Object.keys(WEIGHTS[key as Metric]).join(', ')}, not ${value}`);
    }
    seen.set(key, value);
  }
  const missing = BASE_METRICS.filter((k) => !seen.has(k));
  if (missing.length) throw bad(`base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
  const v = Object.fromEntries(BASE_METRICS.map((k) => [k, seen.get(k)!])) as Record<Metric, string>;
  const w = (k: Metric) => (WEIGHTS[k] as Record<string, number>)[v[k]]!;
  const changed = v.S === 'C';
  const iss = 1 - (1 - w('C')) * (1 - w('I')) * (1 - w('A'));
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss;
  const pr = changed ? PR_CHANGED[v.PR as keyof typeof PR_CHANGED] : w('PR');
  const exploitability = 8.22 * w('AV') * w('AC') * pr * w('UI');
  const baseScore =
    impact <= 0 ? 0 : changed ? roundUp(Math.min(1.08 * (impact + exploitability), 10)) : roundUp(Math.min(impact + exploitability, 10));
  return {
    vector: `CVSS:3.1/${BASE_METRICS.map((k) => `${k}:${v[k]}`).join('/')}`,
    metrics: v,
    baseScore,
    severity: severityOf(baseScore),
  };
}
