/**
 * Seeded randomness for the demo generator: a small PRNG (sfc32) and a keyed hash for ids.
 * Nothing here reads the clock or Math.random, so a seed (plus the keys a caller adds) always
 * gives the same sequence on every platform.
 */

/** Finalises a 32-bit value so nearby inputs give unrelated outputs (murmur3's fmix32). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hashes a list of integers into four 32-bit lanes. Four lanes (not one) because ids made from
 * these must not collide across millions of patch sets and messages.
 */
function hashLanes(keys: readonly number[]): [number, number, number, number] {
  let a = 0x9e3779b9;
  let b = 0x85ebca6b;
  let c = 0xc2b2ae35;
  let d = 0x27d4eb2f;
  for (const key of keys) {
    // Split into two 32-bit halves so keys up to 2^53 (epoch ms, seeds) keep all their bits.
    const lo = key >>> 0;
    const hi = Math.floor(key / 0x100000000) >>> 0;
    a = fmix32(a ^ lo ^ Math.imul(hi, 0x7feb352d));
    b = fmix32(b ^ Math.imul(lo, 0x846ca68b) ^ hi);
    c = fmix32(c + lo + 0x632be5ab) ^ a;
    d = fmix32(d ^ (hi + 0x1b873593)) ^ b;
  }
  return [fmix32(a ^ c), fmix32(b ^ d), fmix32(c + b), fmix32(d + a)];
}

const HEX_BYTE = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A deterministic lower-case hex string of `length` characters derived from `keys`.
 * Table lookups instead of `toString(16)`: this runs millions of times for a large export.
 *
 * @example hexId(40, seed, changeNumber, patchSet) // a revision sha
 */
export function hexId(length: number, ...keys: number[]): string {
  const [a, b, c, d] = hashLanes(keys);
  let out = '';
  for (let i = 0; out.length < length; i++) {
    const w = fmix32((i & 1 ? a ^ c : b ^ d) + Math.imul(i + 1, 0x9e3779b9) + (i & 2 ? c : d));
    out +=
      (HEX_BYTE[w >>> 24] as string) +
      (HEX_BYTE[(w >>> 16) & 255] as string) +
      (HEX_BYTE[(w >>> 8) & 255] as string) +
      (HEX_BYTE[w & 255] as string);
  }
  return out.length === length ? out : out.slice(0, length);
}

/** Turns a short ASCII label into an integer key for {@link hexId} and {@link SeededRandom.from}. */
export function labelKey(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * sfc32, a small fast PRNG with a 128-bit state, plus the sampling helpers the generator needs.
 *
 * @example
 * const rng = SeededRandom.from(42, changeIndex);
 * if (rng.chance(0.3)) rng.pick(['a', 'b']);
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    // The first outputs of sfc32 still show the seed; burn them.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A generator seeded from any list of integers (seed, stream label, index…). */
  static from(...keys: number[]): SeededRandom {
    const [a, b, c, d] = hashLanes(keys);
    return new SeededRandom(a, b, c, d);
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('SeededRandom.pick: empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** Picks by weight; undefined when no item has a positive weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T | undefined {
    let total = 0;
    for (const item of items) total += Math.max(0, weight(item));
    if (total <= 0) return undefined;
    let r = this.float() * total;
    let last: T | undefined;
    for (const item of items) {
      const w = Math.max(0, weight(item));
      if (w <= 0) continue;
      last = item;
      r -= w;
      if (r < 0) return item;
    }
    return last;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (this.spareNormal !== null) {
      const s = this.spareNormal;
      this.spareNormal = null;
      return s;
    }
    const u = 1 - this.float();
    const v = this.float();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median; sigma is the spread of the underlying normal. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }
}
