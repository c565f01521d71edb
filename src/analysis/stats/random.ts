/**
 * Seeded randomness for the resampling methods. Every function in this folder that draws at random
 * takes a {@link Random} argument instead of calling `Math.random`, so that a seed fixes every
 * interval it reports and a test can replay a recorded sequence of draws.
 */

/** A source of uniform numbers in [0, 1). Called once per draw. */
export type Random = () => number;

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
  let a = next32();
  let b = next32();
  let c = next32();
  let d = next32();
  const draw = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) draw(); // let the state mix before the first use
  return () => draw() / 4294967296;
}

/**
 * A uniform integer in 0 … n − 1 from one draw of `random` (`floor(u·n)`): the same rule the
 * reference script uses to turn recorded uniforms into indices.
 */
export function randomIndex(random: Random, n: number): number {
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
