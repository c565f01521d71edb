/**
 * Failed logins per user name: after `maxFailures` wrong passwords for one name within `windowMs`,
 * logins of that name are refused (without checking the password) until the window has passed
 * since the first of them. Works with the per-address request limit (@fastify/rate-limit on
 * POST /login): that one slows one guesser, this one many guessers at one account. In memory: a
 * restart forgets, which only ever gives a guesser one more window.
 */
export interface LoginLimiterOptions {
  maxFailures: number;
  windowMs: number;
  clock: () => number;
}

export class LoginLimiter {
  readonly #o: LoginLimiterOptions;
  readonly #failures = new Map<string, { first: number; count: number }>();

  constructor(o: LoginLimiterOptions) {
    this.#o = o;
  }

  /** Milliseconds until `name` may try again, or 0 when it may now. */
  retryAfter(name: string): number {
    const f = this.#failures.get(name);
    if (!f) return 0;
    const left = f.first + this.#o.windowMs - this.#o.clock();
    if (left <= 0) {
      this.#failures.delete(name);
      return 0;
    }
    return f.count >= this.#o.maxFailures ? left : 0;
  }

  fail(name: string): void {
    const now = this.#o.clock();
    const f = this.#failures.get(name);
    if (!f || now - f.first >= this.#o.windowMs) this.#failures.set(name, { first: now, count: 1 });
    else f.count++;
    // Bounded: forget the oldest names if someone sprays many.
    if (this.#failures.size > 10_000) this.#failures.delete(this.#failures.keys().next().value!);
  }

  succeed(name: string): void {
    this.#failures.delete(name);
  }
}
