// Steady reader load for the fault tests: a few concurrent loops fetching docs pages, every
// response checked and timed, so a test can say how many requests failed and how slow they
// were during the fault window.
import { docs } from './fixture.ts';

export interface Sample {
  at: number;
  ms: number;
  /** null when the response was right; otherwise what was wrong with it. */
  error: string | null;
}

export interface Readers {
  /** Samples so far (or those that started between `from` and `to`). */
  samples(from?: number, to?: number): Sample[];
  stop(): Promise<Sample[]>;
}

export interface ReaderOptions {
  /** Ports to read from, taken in turn (the load balancer, or nodes directly). */
  ports: number[];
  slug: string;
  paths: string[];
  concurrency?: number;
  /** Pause between two requests of one loop: a steady load, not a saturating one. */
  pauseMs?: number;
  /** Extra check of a 200 response; returns what is wrong, or null. */
  check?: (body: string, path: string) => string | null;
}

const active = new Set<Readers>();

/** Stops every reader still running (a test that failed half-way would otherwise never end). */
export async function stopReaders(): Promise<void> {
  await Promise.all([...active].map((r) => r.stop()));
}

export function startReaders(opts: ReaderOptions): Readers {
  const samples: Sample[] = [];
  let running = true;
  let n = 0;
  const loop = async () => {
    while (running) {
      const i = n++;
      const port = opts.ports[i % opts.ports.length]!;
      const path = opts.paths[Math.floor(i / opts.ports.length) % opts.paths.length]!;
      const at = Date.now();
      let error: string | null;
      try {
        const res = await docs(port, opts.slug, path, 5000);
        error = res.status !== 200 ? `${path} on ${port}: HTTP ${res.status} ${res.body.slice(0, 200)}` : (opts.check?.(res.body, path) ?? null);
      } catch (err) {
        error = `${path} on ${port}: ${(err as Error).message}`;
      }
      samples.push({ at, ms: Date.now() - at, error });
      await new Promise((r) => setTimeout(r, opts.pauseMs ?? 5));
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 4 }, loop);
  const readers: Readers = {
    samples: (from = 0, to = Infinity) => samples.filter((s) => s.at >= from && s.at < to),
    async stop() {
      running = false;
      active.delete(readers);
      await Promise.all(loops);
      return samples;
    },
  };
  active.add(readers);
  return readers;
}

/** Count, failures and latency percentiles of some samples. */
export function summary(samples: Sample[]): { sent: number; failed: number; p50: number; p99: number; max: number; errors: string[] } {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const pct = (p: number) => (ms.length ? ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))]! : 0);
  const errors = samples.filter((s) => s.error).map((s) => s.error!);
  return { sent: samples.length, failed: errors.length, p50: pct(50), p99: pct(99), max: ms.at(-1) ?? 0, errors: errors.slice(0, 10) };
}
