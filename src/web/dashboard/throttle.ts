// Login throttling: after MAX_FAILURES failed log-ins within the window, for one account
// or from one address, further attempts are refused until the window has passed, and the
// user is told when to retry. Kept in memory per node: a per-node limit still bounds
// guessing to (nodes × MAX_FAILURES) per window.
const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 5;

export class LoginThrottle {
  readonly #failures = new Map<string, number[]>();

  #recent(key: string, now: number): number[] {
    const list = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (list.length) this.#failures.set(key, list);
    else this.#failures.delete(key);
    return list;
  }

  /** Seconds until a new attempt is allowed for this account and address; 0 when allowed. */
  retryAfter(username: string, ip: string, now = Date.now()): number {
    let wait = 0;
    for (const key of [`u:${username.toLowerCase()}`, `ip:${ip}`]) {
      const list = this.#recent(key, now);
      if (list.length >= MAX_FAILURES) wait = Math.max(wait, Math.ceil((list[0]! + WINDOW_MS - now) / 1000));
    }
    return wait;
  }

  fail(username: string, ip: string, now = Date.now()): void {
    for (const key of [`u:${username.toLowerCase()}`, `ip:${ip}`]) this.#failures.set(key, [...this.#recent(key, now), now]);
  }

  succeed(username: string): void {
    this.#failures.delete(`u:${username.toLowerCase()}`);
  }
}
