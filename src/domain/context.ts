// What every domain operation gets: the process's services (database, queue, policies) and
// who is acting. The API and the dashboard build these from their request; the domain never
// sees a request, a reply or a form.
import type { Db } from '../db/database.ts';
import type { User } from '../db/schema.ts';
import type { BuildQueue } from '../queue/build-queue.ts';
import type { SyncQueue } from '../queue/sync-queue.ts';
import type { HostResolver } from './host-resolution.ts';
import type { DomainVerificationOptions } from './domain-verification.ts';
import type { Logger } from '../log.ts';

export interface DomainContext {
  db: Db;
  queue: BuildQueue;
  /** The version syncs the web tier works (versions.ts requestVersionSync queues one); only the web adapters have it. */
  syncs?: SyncQueue;
  /** ALLOW_LOCAL_REPOSITORIES as the operator set it. */
  allowLocalRepositories: boolean;
  /** How repository and webhook hosts are resolved for the inside-address check (tests); default the system's. */
  resolveHost?: HostResolver;
  /** How custom domains are checked. */
  domainVerification?: DomainVerificationOptions;
  /** Every user's outgoing webhooks may point at loopback and private addresses (instance admins' always may). */
  allowPrivateWebhookUrls: boolean;
  /** Where the domain logs what it did on its own (a sync, a queued build); a request's logger when there is one. */
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** Who acts: a signed-in user, or null for an anonymous reader (reads of public things only). */
export type Actor = User | null;
