// The builder API's messages, shared by the web tier (which answers) and builders (which
// ask). A builder holds no database credentials: everything it knows about a build comes
// in a Job, everything it says goes out as ReportOps.
import type { BuildState } from '../core/build-state.ts';

export const BUILDER_API = '/api/builder/v1';

export interface Job {
  buildId: number;
  attempt: number;
  projectSlug: string;
  projectName: string;
  language: string;
  versionSlug: string;
  /** branch | tag | external */
  versionType: string;
  /** The branch or tag name to build. */
  identifier: string;
  /** A specific commit to build (from a webhook); null → the ref's current commit. */
  commit: string | null;
  /** The URL to clone, with the project's credentials when it has some: never show it, mask `secrets`. */
  repoUrl: string;
  /**
   * The repository is a local path, file:// URL or inside address, which the web tier allows
   * only for projects an instance admin maintains or when the operator allows local
   * repositories: git may then use the file transport.
   */
  allowLocal: boolean;
  /** Values to mask in every log line besides secret variables: the repository's credentials in each form they may take. */
  secrets: string[];
  /** auto | sphinx | mkdocs | builtin | commands */
  documentationType: string;
  /**
   * The project's readthedocs_yaml_path: the configuration file to read, relative to the repository
   * root, instead of `.readthedocs.yaml` there. Null or absent (a web tier from before the setting):
   * the default names at the root.
   */
  readthedocsYamlPath?: string | null;
  /** The project's environment variables; `secret` values are masked in the log. */
  env: Array<{ name: string; value: string; secret: boolean }>;
}

export interface ClaimResponse {
  job: Job;
  token: string;
  seqBase: number;
  stepBase: number;
  heartbeatSeconds: number;
}

export type ReportOp =
  | { op: 'state'; state: BuildState; commit?: string; config?: unknown }
  | { op: 'step'; position: number; name: string; command: string }
  | { op: 'step-end'; position: number; exitCode: number }
  | { op: 'log'; seq: number; step: number | null; stream: 'stdout' | 'stderr' | 'info'; line: string };

export type FinishRequest = { success: true; formats?: string[] } | { success: false; cancelled?: boolean; errorCode: string; error: string };
