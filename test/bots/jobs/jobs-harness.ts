import request from 'supertest';
import { expect } from 'vitest';
import type { App } from '../../../adapters/app.ts';
import { loadLocales } from '../../../bots/locales.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';
import type { Profile } from '../../../core/ports/jobs.port.ts';
import type { Person } from '../../../core/ports/people.port.ts';

/** The bot's own words, as the locale files have them. */
export const t = createTextRenderer(loadLocales());

/** What the page shows for one reply: its text and its buttons. */
export interface Shown {
  readonly text: string;
  readonly choices: string[];
}

/** A person on the web chat: each call sends one message and returns exactly what came back. */
export function webchatPerson(app: App, userId: string) {
  let n = 0;
  return async (body: { text?: string; choiceId?: string; location?: { latitude: number; longitude: number }; start?: true }): Promise<Shown[]> => {
    const res = await request(app.http).post('/api/webchat/messages').send({ userId, messageId: `${userId}-${++n}`, ...body });
    expect(res.status).toBe(200);
    return (res.body as { replies: { text: string; choices?: { label: string }[] }[] }).replies.map((r) => ({ text: r.text, choices: (r.choices ?? []).map((c) => c.label) }));
  };
}

/** Signs a person up on the web chat (language, consent, role, first name, no place) and returns their sender. */
export async function signUp(app: App, userId: string, lang: string, role: 'newcomer' | 'recruiter', firstName: string) {
  const say = webchatPerson(app, userId);
  await say({ start: true });
  await say({ choiceId: lang });
  await say({ choiceId: 'agree' });
  await say({ choiceId: role });
  await say({ text: firstName });
  await say({ choiceId: 'skip' });
  return say;
}

/** A cook's profile with French B1, visible, no area, alerts off: tests override what they need. */
export function cookProfile(personId: string, overrides: Partial<Profile> = {}): Profile {
  return {
    personId,
    occupations: [{ occupation: { id: 'cook', text: null }, years: 6 }],
    skills: ['cooking'],
    skillsText: null,
    languages: [{ lang: 'fr', level: 'B1', source: 'self-check' }],
    education: [],
    availability: 'now',
    area: null,
    travelKm: 30,
    rightToWork: null,
    visible: true,
    alerts: false,
    lastAlertAt: null,
    updatedAt: '2026-12-01T09:00:00.000Z',
    ...overrides,
  };
}

/** The centre of Lyon's cell: where the tests' cook jobs are. */
export const LYON_CENTRE = { latitude: 45.75917, longitude: 4.82965 };

/** A Pashto-speaking cook on WhatsApp Cloud, signed up, with a profile in Lyon; alerts as asked. */
export async function alertableCook(app: Pick<App, 'store'>, now: string, id: string, waId: string, alerts: boolean): Promise<Person> {
  const person: Person = {
    id,
    role: 'newcomer',
    roleStatus: 'active',
    lang: 'ps',
    firstName: 'احمد',
    place: null,
    consent: { noticeVersion: 1, givenAt: now },
    orgId: null,
    subscribed: true,
    identities: [{ channel: 'whatsapp-cloud', id: waId }],
    createdAt: now,
    updatedAt: now,
  };
  await app.store.people.create(person);
  await app.store.jobs.putProfile(cookProfile(id, { area: { ...LYON_CENTRE, label: 'Lyon' }, alerts, updatedAt: now }));
  return person;
}
