// Follows a build's live log (Server-Sent Events) until the build ends. A dropped stream — a
// web node restarting, a proxy's idle timeout, undici's 5-minute body timeout during a
// silent step — is resumed with Last-Event-ID as EventSource would: no line lost or repeated.
import { unreachable, type Api } from './api.ts';
import { ClientError, retryable } from './errors.ts';
import { projectPath } from './projects.ts';
import { readEvents, SseParser } from './sse.ts';
import type { Build, LogLine } from './types.ts';

// A restarting server (migrations, pg-boss) may take a while; EventSource would retry forever.
const GIVE_UP_MS = 120_000;

export interface FollowHandlers {
  line(line: LogLine): void;
  /** The stream broke and is being reopened. */
  retry(reason: string): void;
}

export async function followBuild(api: Api, project: string, buildId: number, on: FollowHandlers): Promise<Build> {
  const buildPath = `${projectPath(project)}builds/${buildId}/`;
  const parser = new SseParser();
  let last: Build | null = null;
  let lastSeq = -1;
  let failingSince: number | null = null;
  for (let failures = 0; ; ) {
    let problem: ClientError;
    try {
      const body = await api.stream(`${buildPath}log/stream/`, parser.lastEventId);
      for await (const event of readEvents(body, parser)) {
        failures = 0;
        failingSince = null;
        if (event.type === 'log') {
          const line = parse<LogLine>(event.data, 'log');
          if (line.seq > lastSeq) {
            lastSeq = line.seq;
            on.line(line);
          }
        } else if (event.type === 'state') {
          last = parse<Build>(event.data, 'state');
        } else if (event.type === 'end') {
          // Leaving the loop cancels the body. The end is always preceded by the final state.
          return last?.state ? last : await api.request<Build>('GET', buildPath);
        }
      }
      problem = retryable(`the log stream of build #${buildId} ended before the build did`);
    } catch (err) {
      problem = err instanceof ClientError ? err : unreachable(api.base, err);
    }
    failingSince ??= Date.now();
    if (!problem.retryable || Date.now() - failingSince > GIVE_UP_MS) throw problem;
    on.retry(problem.message);
    failures++;
    await new Promise((r) => setTimeout(r, parser.retryMs ?? Math.min(1000 * failures, 5000)));
  }
}

function parse<T>(data: string, event: string): T {
  try {
    return JSON.parse(data) as T;
  } catch {
    throw new ClientError(`the server sent a malformed "${event}" event: ${data.slice(0, 100)}`);
  }
}
