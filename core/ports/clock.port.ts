/** Time and identity are injected so that dialogs and tests are deterministic. */

/** What the core needs to know about time. */
export interface Clock {
  now(): Date;
}

/** Makes new unique ids (people, organisations, broadcasts). */
export interface IdGenerator {
  newId(): string;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** Random UUIDs from Node's crypto. */
export const randomIds: IdGenerator = { newId: () => crypto.randomUUID() };
