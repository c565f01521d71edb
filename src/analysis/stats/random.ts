/**
 * Seeded randomness for the resampling methods. Every function in this folder that draws at random
 * takes a {@link Random} argument instead of calling `Math.random`, so that a seed fixes every
 * interval it reports and a test can replay a recorded sequence of draws.
 */

/** A source of uniform numbers in [0, 1). Called once per draw. */
export type Random = (() => number) & {
  /**
   * Optional: what {@link randomIndex} gives for `n` from the next draw, computed where the draw is
   * made. A uniform returned from a call is a boxed number (one allocation per draw); an index is a
   * small integer, which is not.
   */
  index?: (n: number) => number;
  /**
   * Optional: `out[0 … count)` filled with what `count` successive calls of `index(n)` would give,
   * in one call (a bootstrap's millions of draws without a call each).
   */
  indexes?: (n: number, out: Int32Array, count: number) => void;
};

/**
 * A small, fast, seedable generator (sfc32, seeded through splitmix32 so nearby seeds give
 * unrelated streams). The same seed gives the same stream on every platform. Not cryptographic.
 *
 * @param seed any integer (only its low 32 bits are used).
 * @example const random = seededRandom(42); random() // 0.… the same every run
 */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  const next32 = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  // The state in 32-bit integer slots, as int32 (the same bits): numbers of 2^31 and above kept in
  // closure variables are boxed, one allocation per draw (a bootstrap's 800,000 draws: most of its
  // cost). Every step below is modulo 2^32, so the stream is the same to the bit.
  const st = new Int32Array(4);
  st[0] = next32();
  st[1] = next32();
  st[2] = next32();
  st[3] = next32();
  const draw = (): number => {
    const a = st[0]!;
    const b = st[1]!;
    const c = st[2]!;
    const d = st[3]!;
    const t = (a + b + d) | 0;
    st[3] = d + 1;
    st[0] = b ^ (b >>> 9);
    st[1] = c + (c << 3);
    st[2] = ((c << 21) | (c >>> 11)) + t;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) draw(); // let the state mix before the first use
  const random: Random = () => draw() / 4294967296;
  random.index = (n) => {
    const i = Math.floor((draw() / 4294967296) * n);
    return i < n ? i : n - 1;
  };
  random.indexes = (n, out, count) => {
    // `draw` written out: the same steps on the same state.
    let a = st[0]!;
    let b = st[1]!;
    let c = st[2]!;
    let d = st[3]!;
    for (let k = 0; k < count; k++) {
      const t = (a + b + d) | 0;
      d = (d + 1) | 0;
      a = b ^ (b >>> 9);
      b = (c + (c << 3)) | 0;
      c = (((c << 21) | (c >>> 11)) + t) | 0;
      const i = Math.floor(((t >>> 0) / 4294967296) * n);
      out[k] = i < n ? i : n - 1;
    }
    st[0] = a;
    st[1] = b;
    st[2] = c;
    st[3] = d;
  };
  return random;
}

/**
 * A uniform integer in 0 … n − 1 from one draw of `random` (`floor(u·n)`): the same rule the
 * reference script uses to turn recorded uniforms into indices.
 */
export function randomIndex(random: Random, n: number): number {
  if (random.index) return random.index(n);
  const i = Math.floor(random() * n);
  return i < n ? i : n - 1;
}

/**
 * A standard normal draw (Box–Muller, two uniforms per draw). For simulations in tests and
 * benchmarks.
 */
export function randomNormal(random: Random): number {
  let u = random();
  while (u <= 0) u = random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
