/** Fixtures and assertions shared by the parts of the Store contract. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { SESSION_SCHEMA, type Session } from '../../../core/dialog/session.ts';
import { addressKey } from '../../../core/messages.ts';
import type { Organisation, Person } from '../../../core/ports/people.port.ts';
import type { Store } from '../../../core/ports/store.port.ts';

/** A fresh id, so the suite can share a database with other runs and other tests. */
export const uid = (): string => randomUUID();

/** Awaits a promise that must reject and returns what it rejected with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Errors are logged; neither they nor any error in their cause chain may quote personal data. */
export function expectNoPersonalData(error: Error, secrets: readonly string[]): void {
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 10; depth += 1) {
    for (const secret of secrets) expect(current.message).not.toContain(secret);
    current = current.cause;
  }
}

/** A phone-number-like channel id: personal data that must never leak into an error. */
export const phoneId = (): string => `+3361${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}${uid().slice(0, 4)}`;

/** A small session at `step`. */
export function sessionFor(step: string, data: Session['data'] = {}): Session {
  return {
    schema: SESSION_SCHEMA,
    dialog: 'onboarding',
    dialogVersion: 3,
    step,
    data,
    attempts: 0,
    stack: [],
    lang: 'ar',
    shown: [],
    updatedAt: '2025-03-01T10:00:00.000Z',
  };
}

/** A session using every JSON shape: nesting, arrays, numbers, null, Arabic and odd keys. */
export function richSession(): Session {
  return {
    schema: SESSION_SCHEMA,
    dialog: 'exchange',
    dialogVersion: 2,
    step: 'confirm-offer',
    data: {
      firstName: 'ليلى',
      note: 'أحتاج مساعدة في السكن 🏠 — merci\nligne 2\t"quoted" \\ back',
      rtlMark: '\u200fسلام\u200e',
      skills: ['خياطة', 'cuisine', ''],
      counts: { children: 2, ratio: 0.1, negative: -7.25, big: Number.MAX_SAFE_INTEGER, zero: 0 },
      flags: { urgent: true, housed: false, missing: null },
      nested: { level1: { level2: { level3: [1, [2, [3, { deep: 'عميق' }]]] } } },
      empty: { object: {}, array: [] },
      'dotted.key': 'a.b',
      $dollar: 'prefixed',
      'مفتاح عربي': 'قيمة',
    },
    attempts: 2,
    stack: [
      {
        dialog: 'onboarding',
        dialogVersion: 3,
        step: 'ask-skill',
        data: { lang: 'ar', place: { type: 'typed', text: 'Lyon 69003' } },
        attempts: 1,
      },
    ],
    lang: 'ar',
    shown: [
      { id: 'yes', label: 'نعم' },
      { id: 'no', label: 'لا' },
    ],
    updatedAt: '2025-03-01T10:15:42.123Z',
  };
}

/** A person with fresh ids; override what the test is about. */
export function personWith(overrides: Partial<Person> = {}): Person {
  return {
    id: uid(),
    role: 'newcomer',
    roleStatus: 'active',
    lang: 'ar',
    firstName: 'ليلى',
    place: { type: 'pin', latitude: 45.764043, longitude: 4.835659 },
    consent: { noticeVersion: 2, givenAt: '2025-02-01T09:00:00.000Z' },
    orgId: null,
    subscribed: true,
    identities: [{ channel: 'telegram', id: uid() }],
    createdAt: '2025-02-01T09:00:00.000Z',
    updatedAt: '2025-02-01T09:00:00.000Z',
    ...overrides,
  };
}

/**
 * A person with identities in a fixed order: the port promises the set of identities, not their
 * order, so an adapter may return them sorted or by insertion.
 */
export function canonical(person: Person | null | undefined): Person | null | undefined {
  if (!person) return person;
  const identities = [...person.identities].sort((a, b) => addressKey(a).localeCompare(addressKey(b)));
  return { ...person, identities };
}

/** An organisation with a fresh id and code. */
export function orgWith(overrides: Partial<Organisation> = {}): Organisation {
  return {
    id: uid(),
    name: 'Association Entraide — جمعية',
    code: `c${uid().replaceAll('-', '').slice(0, 12)}`,
    lang: 'fr',
    createdAt: '2025-01-15T08:00:00.000Z',
    apiKeyHash: null,
    telegramChannelId: null,
    staffChatId: null,
    linkCode: null,
    glossary: {},
    ...overrides,
  };
}

/** Returns the store under test (opened by the contract's beforeAll). */
export type StoreUnderTest = () => Store;
