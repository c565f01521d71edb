/**
 * "Why" for `steward waits`: which factors are associated with slower merging (or a slower first
 * core review) when all are taken together — a Cox proportional-hazards model (stats/cox-model.ts,
 * Breslow ties) with standard errors clustered by owner and the small-sample correction, one joint
 * Wald test per factor, Benjamini–Hochberg across the factors, and the proportional-hazards check.
 *
 * Encoding: a numeric factor enters as is (log₂ of lines changed: its hazard ratio is per doubling).
 * A categorical factor enters as one indicator per level against a reference level: the largest
 * level that is not a catch-all ("other", "unknown"), so a catch-all is never the yardstick and is
 * reported only as an aggregate. Levels with fewer than {@link MIN_LEVEL} changes or fewer than 2
 * events are pooled into the catch-all (or, with no catch-all, "(rare levels)"); a pooled level still
 * that small joins the reference level. A factor left with one level is not in the model.
 *
 * Factor test: W = bᵀV⁻¹b over the factor's coefficients b with the clustered variance V (scaled by
 * G/(G − 1)); its p-value from F(k, G − 1) with W/k (k coefficients, G owners) — for one coefficient
 * this is the t test of stats/cox-model.ts. With a dozen terms and a few dozen owners the clustered
 * variance is itself noisy and too small on average (in the calibration test below, 8–13% of
 * no-effect factors had p < 0.05), so the test uses whichever of the clustered and the model-based
 * variance gives the larger p-value, and each level's interval the larger standard error: the model
 * never claims more precision than either says. A factor is `declared` when its Benjamini–Hochberg
 * adjusted p-value is below 0.05. The level named for a factor is the non-catch-all level with the
 * largest |log hazard ratio| against the reference among those whose own interval excludes 1 (else
 * among all, and the report says no single level differs clearly).
 *
 * Proportional hazards (cox.zph, KM time scale): a factor "fails" when the smallest p-value of its
 * terms, times the number of terms, is below 0.05; its hazard ratios are then averages over the
 * follow-up.
 */
import {
  betaRegularized,
  chiSquareUpperTail,
  normalQuantile,
  normalTwoSided,
  studentQuantile,
  studentTwoSided,
} from './stats/distributions.js';
import { coxModel, coxZph, type CoxRecord } from './stats/cox-model.js';
import { invert, multiplyVector } from './stats/linear-algebra.js';
import { benjaminiHochberg } from './stats/multiple-testing.js';
import { round } from './stats.js';

/** Levels below this many changes are pooled. */
export const MIN_LEVEL = 10;
/** Level names that lump unlike things together: never the reference, never the named level. */
export const CATCH_ALL = new Set(['other', 'unknown', '(rare levels)']);

export interface ModelFactorSpec {
  name: string;
  /** Numeric: the value per row is `numeric[name]`; categorical: `levels[name]`. */
  kind: 'numeric' | 'categorical';
  /** For a numeric factor: what one unit is ("per doubling of lines changed"). */
  unit?: string;
}

export interface ModelRow {
  /** Days to the event or the end of follow-up. */
  days: number;
  event: boolean;
  owner: string | number;
  levels: Record<string, string>;
  numeric: Record<string, number>;
}

export interface LevelEffect {
  level: string;
  reference: boolean;
  /** Changes of the level in the model (after pooling), and their events. */
  n: number;
  events: number;
  hazardRatio: number | null;
  lower: number | null;
  upper: number | null;
  p: number | null;
}

export interface FactorTest {
  factor: string;
  kind: 'numeric' | 'categorical';
  /** The reference level (categorical), or the unit of the hazard ratio (numeric). */
  reference: string;
  /** Levels pooled into the catch-all, or folded into the reference. */
  pooled: string[];
  df: number;
  p: number;
  /** Benjamini–Hochberg across the model's factors. */
  adjustedP: number;
  declared: boolean;
  levels: LevelEffect[];
  /** The level with the largest |log hazard ratio| (not a catch-all); for a numeric factor its unit. */
  named: LevelEffect | null;
  /** Proportional-hazards check of the factor's terms: smallest p × terms (capped at 1). */
  proportionalHazardsP: number | null;
  proportionalHazardsFails: boolean;
}

export interface FactorModel {
  n: number;
  events: number;
  owners: number;
  /** Global proportional-hazards test. */
  proportionalHazardsP: number | null;
  factors: FactorTest[];
  /** Factors left out, with why. */
  omitted: Array<{ factor: string; reason: string }>;
  warnings: string[];
}

interface Encoded {
  spec: ModelFactorSpec;
  reference: string;
  pooled: string[];
  /** Level of each row after pooling. */
  rowLevel: string[];
  /** Indicator levels (categorical), or [name] (numeric). */
  terms: string[];
}

function encode(rows: readonly ModelRow[], spec: ModelFactorSpec, preferred?: string): Encoded | { omitted: string } {
  if (spec.kind === 'numeric') {
    const xs = rows.map((r) => r.numeric[spec.name] ?? 0);
    if (xs.every((x) => x === xs[0])) return { omitted: 'the same value for every change' };
    return { spec, reference: spec.unit ?? 'per unit', pooled: [], rowLevel: rows.map(() => ''), terms: [spec.name] };
  }
  const lv = rows.map((r) => r.levels[spec.name] ?? 'unknown');
  const count = (list: readonly string[]) => {
    const m = new Map<string, { n: number; events: number }>();
    list.forEach((l, i) => {
      const c = m.get(l) ?? { n: 0, events: 0 };
      c.n += 1;
      if (rows[i]!.event) c.events += 1;
      m.set(l, c);
    });
    return m;
  };
  const first = count(lv);
  const small = [...first.entries()].filter(([l, c]) => !CATCH_ALL.has(l) && (c.n < MIN_LEVEL || c.events < 2)).map(([l]) => l);
  const bin = first.has('other') ? 'other' : first.has('unknown') ? 'unknown' : '(rare levels)';
  let level = lv.map((l) => (small.includes(l) ? bin : l));
  const named = [...count(level).entries()].filter(([l]) => !CATCH_ALL.has(l)).sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  if (named.length === 0) return { omitted: 'no level other than a catch-all' };
  const reference = preferred !== undefined && named.some(([l]) => l === preferred) ? preferred : named[0]![0];
  const pooled = [...small];
  // Catch-alls too small to estimate join the reference.
  for (const [l, c] of count(level)) {
    if (CATCH_ALL.has(l) && (c.n < MIN_LEVEL || c.events < 2)) {
      pooled.push(l);
      level = level.map((x) => (x === l ? reference : x));
    }
  }
  const terms = [...new Set(level)].filter((l) => l !== reference).sort();
  if (terms.length === 0) return { omitted: `one level only ("${reference}") with ${MIN_LEVEL} or more changes` };
  return { spec, reference, pooled: [...new Set(pooled)].sort(), rowLevel: level, terms };
}

/** The F(d1, d2) upper tail P(F > f). */
function fUpperTail(f: number, d1: number, d2: number): number {
  if (!(f > 0)) return 1;
  return betaRegularized(d2 / (d2 + d1 * f), d2 / 2, d1 / 2);
}

/**
 * Fits the Cox model of `rows` on the factors `specs` together, clustered by owner, and tests each
 * factor. `references` may fix a factor's reference level (so two models of one cohort share it). Null when there are too few events to fit (fewer than 10, or fewer than 5 per term).
 */
export function fitFactorModel(
  rows: readonly ModelRow[],
  specs: readonly ModelFactorSpec[],
  references: Readonly<Record<string, string>> = {},
): FactorModel | null {
  const events = rows.filter((r) => r.event).length;
  const omitted: FactorModel['omitted'] = [];
  const encoded: Encoded[] = [];
  for (const s of specs) {
    const e = encode(rows, s, references[s.name]);
    if ('omitted' in e) omitted.push({ factor: s.name, reason: e.omitted });
    else encoded.push(e);
  }
  const terms = encoded.flatMap((e) => e.terms.map((t) => ({ e, t })));
  if (terms.length === 0 || events < Math.max(10, 5 * terms.length)) return null;
  const owners = new Set(rows.map((r) => r.owner)).size;
  // Each row's covariates: a term's numeric value, or 1 when the row is at the term's level.
  const termSpec = terms.map(({ e }) => e.spec);
  const termLevels = terms.map(({ e }) => e.rowLevel);
  const termLevel = terms.map(({ t }) => t);
  const records: CoxRecord[] = new Array<CoxRecord>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const covariates = new Array<number>(terms.length);
    for (let j = 0; j < terms.length; j++) {
      const spec = termSpec[j]!;
      covariates[j] = spec.kind === 'numeric' ? (r.numeric[spec.name] ?? 0) : termLevels[j]![i] === termLevel[j] ? 1 : 0;
    }
    records[i] = { time: r.days, event: r.event, cluster: r.owner, covariates };
  }
  let fit;
  try {
    fit = coxModel(records, {
      names: terms.map(({ e, t }) => (e.spec.kind === 'numeric' ? e.spec.name : `${e.spec.name}: ${t}`)),
      robust: owners >= 2,
    });
  } catch (err) {
    return {
      n: rows.length,
      events,
      owners,
      proportionalHazardsP: null,
      factors: [],
      omitted: [
        ...omitted,
        ...encoded.map((e) => ({ factor: e.spec.name, reason: `the model could not be fitted: ${(err as Error).message}` })),
      ],
      warnings: [],
    };
  }
  let zph: ReturnType<typeof coxZph> | null = null;
  try {
    zph = coxZph(records, fit);
  } catch {
    zph = null;
  }
  const G = fit.clusters && fit.clusters >= 2 ? fit.clusters : null;
  const robust = fit.robustVariance && G ? fit.robustVariance.map((row) => row.map((v) => (v * G) / (G - 1))) : null;
  const wald = (variance: number[][], idx: number[]): number => {
    const b = idx.map((i) => fit.coefficients[i]!);
    const inv = invert(idx.map((r) => idx.map((c) => variance[r]![c]!)));
    const vb = inv ? multiplyVector(inv, b) : null;
    return vb ? b.reduce((acc, v, i) => acc + v * vb[i]!, 0) : NaN;
  };
  const crit = G ? studentQuantile(0.975, G - 1) : normalQuantile(0.975);
  const effect = (i: number): Pick<LevelEffect, 'hazardRatio' | 'lower' | 'upper' | 'p'> => {
    const b = fit.coefficients[i]!;
    const se = Math.max(Math.sqrt(fit.naiveVariance[i]![i]!), robust ? Math.sqrt(robust[i]![i]!) : 0);
    const p = G ? studentTwoSided(b / se, G - 1) : normalTwoSided(b / se);
    return { hazardRatio: round(Math.exp(b), 3), lower: round(Math.exp(b - crit * se), 3), upper: round(Math.exp(b + crit * se), 3), p };
  };
  let offset = 0;
  const raw = encoded.map((e) => {
    const idx = e.terms.map((_, j) => offset + j);
    offset += e.terms.length;
    const k = idx.length;
    const wNaive = wald(fit.naiveVariance, idx);
    const wRobust = robust ? wald(robust, idx) : NaN;
    const pNaive = Number.isFinite(wNaive) ? chiSquareUpperTail(wNaive, k) : 1;
    const pRobust = !robust ? pNaive : Number.isFinite(wRobust) ? fUpperTail(wRobust / k, k, G! - 1) : 1;
    const p = Math.max(pNaive, pRobust);
    const counts = new Map<string, { n: number; events: number }>();
    e.rowLevel.forEach((l, i) => {
      const c = counts.get(l) ?? { n: 0, events: 0 };
      c.n += 1;
      if (rows[i]!.event) c.events += 1;
      counts.set(l, c);
    });
    const levels: LevelEffect[] =
      e.spec.kind === 'numeric'
        ? [{ level: e.reference, reference: false, n: rows.length, events, ...effect(idx[0]!) }]
        : [
            {
              level: e.reference,
              reference: true,
              n: counts.get(e.reference)?.n ?? 0,
              events: counts.get(e.reference)?.events ?? 0,
              hazardRatio: 1,
              lower: null,
              upper: null,
              p: null,
            },
            ...e.terms.map((t, j) => ({
              level: t,
              reference: false,
              n: counts.get(t)?.n ?? 0,
              events: counts.get(t)?.events ?? 0,
              ...effect(idx[j]!),
            })),
          ];
    const candidates = levels.filter((l) => !l.reference && !CATCH_ALL.has(l.level) && l.hazardRatio !== null);
    // Name a level whose own interval excludes 1 when there is one: a factor can be associated
    // through its catch-all or through several small differences, and then no level is a finding.
    const clear = (l: LevelEffect) => l.lower !== null && l.upper !== null && (l.lower > 1 || l.upper < 1);
    const named =
      candidates.sort(
        (a, b) => Number(clear(b)) - Number(clear(a)) || Math.abs(Math.log(b.hazardRatio!)) - Math.abs(Math.log(a.hazardRatio!)),
      )[0] ?? null;
    const phMin = zph ? Math.min(...idx.map((i) => zph.terms[i]!.p)) : null;
    const phP = phMin === null ? null : Math.min(1, phMin * k);
    return { e, k, p, levels, named, phP };
  });
  const adjusted = benjaminiHochberg(raw.map((r) => r.p));
  const factors: FactorTest[] = raw.map((r, i) => ({
    factor: r.e.spec.name,
    kind: r.e.spec.kind,
    reference: r.e.reference,
    pooled: r.e.pooled,
    df: r.k,
    p: r.p,
    adjustedP: adjusted[i]!,
    declared: adjusted[i]! < 0.05,
    levels: r.levels,
    named: r.named,
    proportionalHazardsP: r.phP === null ? null : round(r.phP, 4),
    proportionalHazardsFails: r.phP !== null && r.phP < 0.05,
  }));
  return {
    n: rows.length,
    events,
    owners,
    proportionalHazardsP: zph ? round(zph.global.p, 4) : null,
    factors,
    omitted,
    warnings: fit.warnings,
  };
}

/** "1.8× slower" / "1.4× faster" / "no faster or slower" for a hazard ratio of the event's rate. */
export function rateWords(hazardRatio: number, event: string): string {
  if (Math.abs(Math.log(hazardRatio)) < 0.01) return `no faster or slower ${event}`;
  return hazardRatio < 1 ? `${round(1 / hazardRatio, 1)}× slower ${event}` : `${round(hazardRatio, 1)}× faster ${event}`;
}
