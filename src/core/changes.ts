// A process-wide signal that what readers should see has changed (a deploy, a version made
// private, a redirect edited), so caches in this process drop what they hold. Across nodes
// the same signal travels through PostgreSQL (db/change-feed.ts publishes and listens).

type Listener = () => void;
const listeners = new Set<Listener>();
const publishers = new Set<Listener>();

/** Subscribes to changes, made here or announced by another node; returns the unsubscribe function. */
export function onServingChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Registers how a change made here reaches other nodes; returns the unregister function. */
export function onServingPublish(publisher: Listener): () => void {
  publishers.add(publisher);
  return () => publishers.delete(publisher);
}

/** Announces a change made in this process: to every subscriber here, then to other nodes. */
export function servingChanged(): void {
  for (const listener of listeners) listener();
  for (const publish of publishers) publish();
}

/**
 * A change another node announced (or may have, while the feed was down): subscribers here
 * only. It is never published again, so nodes cannot echo a change back and forth.
 */
export function servingChangedElsewhere(): void {
  for (const listener of listeners) listener();
}
