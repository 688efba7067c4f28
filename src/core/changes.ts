// A process-wide signal that what readers should see has changed (a deploy, a version made
// private, a redirect edited), so caches in this process drop what they hold. Across
// nodes the same signal travels through the database (see ARCHITECTURE.md).

type Listener = () => void;
const listeners = new Set<Listener>();

/** Subscribes to changes; returns the unsubscribe function. */
export function onServingChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Announces a change to every subscriber in this process. */
export function servingChanged(): void {
  for (const listener of listeners) listener();
}
