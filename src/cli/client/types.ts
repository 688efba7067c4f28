// The parts of the API v3 answers (Read the Docs' shapes) that the client reads; the
// server's serializers (src/web/api/serializers.ts) are the full truth.

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Project {
  slug: string;
  name: string;
  repository: { url: string; type: string };
  default_branch: string | null;
  default_version: string;
  urls: { documentation: string };
}

export interface Version {
  slug: string;
  type: string;
  active: boolean;
  built: boolean;
  hidden: boolean;
  identifier: string;
  ref: string | null;
  urls: { documentation: string };
}

export interface Build {
  id: number;
  project: string;
  version: string;
  commit: string | null;
  created: string;
  duration: number | null;
  state: { code: string; name: string };
  success: boolean | null;
  error: string;
  error_code: string | null;
}

/** Read the Docs' answer to a build trigger: the build with the whole project and version. */
export interface Triggered {
  build: Build;
  project: { slug: string };
  version: { slug: string };
  triggered: boolean;
}

/** The `data` of a `log` event of the build log stream. */
export interface LogLine {
  seq: number;
  step: number | null;
  stream: string;
  line: string;
}
