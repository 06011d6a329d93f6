/**
 * Turn-taking for long CPU work in this process (contact imports): each piece of work runs a
 * few milliseconds, then waits for its turn behind every other one, one turn per event-loop
 * iteration. Why one gate for all: with a yield per import, eight imports resumed in the same
 * iteration would still hold the loop for eight slices; here requests (health probes,
 * webhooks) are polled between any two slices, whatever the number of imports.
 */

/** How long one slice may hold the event loop. */
export const SLICE_MS = 8;

let tail: Promise<void> = Promise.resolve();

/** Waits for this caller's next turn: after every caller already waiting, one iteration later each. */
export function nextTurn(): Promise<void> {
  const turn = tail.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  tail = turn;
  return turn;
}

/** A slice timer: `due()` is true once the current slice has run {@link SLICE_MS}. */
export function sliceTimer(): { due(): boolean; restart(): void } {
  let started = performance.now();
  return {
    due: () => performance.now() - started >= SLICE_MS,
    restart: () => {
      started = performance.now();
    },
  };
}
