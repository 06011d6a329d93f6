import { z } from 'zod';
import { ConcurrencyConflictError } from '../../core/errors.ts';
import type { EffectHandler } from '../../core/pipeline/effects.ts';
import { ROLES, type Person, type Place } from '../../core/ports/people.port.ts';
import { ONBOARDING_COMPLETED, ONBOARDING_REFUSED, firstNameSchema } from './onboarding.dialog.ts';

/** Version of the privacy notice people agree to; bump it when the notice's meaning changes. */
export const PRIVACY_NOTICE_VERSION = 1;

const placeSchema = z.union([
  z.object({ type: z.literal('pin'), latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180) }),
  z.object({ type: z.literal('typed'), text: z.string().min(1).max(80) }),
]);

/** What onboarding gathered; checked again here because sessions are stored data. */
const completedPayload = z.object({
  lang: z.string().min(2).max(8),
  consent: z.literal('agree'),
  role: z.enum(ROLES),
  firstName: firstNameSchema,
  place: placeSchema.nullable(),
});

/**
 * Creates (or, for someone known, updates) the person. Idempotent: a replay after a crash finds
 * the person it created and updates them instead, and a person created meanwhile by another
 * process (the same identity) is updated too.
 */
const completeOnboarding: EffectHandler = async (event, { address, person, store, clock, ids }) => {
  const data = completedPayload.parse(event.payload);
  const now = clock.now();
  const place: Place | null = data.place;
  // Staff and recruiters act for an organisation: an administrator approves them first.
  const roleStatus = data.role === 'ngo-staff' || data.role === 'recruiter' ? 'pending' : 'active';
  if (person) {
    await store.people.update(person.id, { role: data.role, roleStatus, lang: data.lang, firstName: data.firstName, place }, now);
    await store.contacts.linkAddress(address, person.id, now);
    return;
  }
  const created: Person = {
    id: ids.newId(),
    role: data.role,
    roleStatus,
    lang: data.lang,
    firstName: data.firstName,
    place,
    consent: { noticeVersion: PRIVACY_NOTICE_VERSION, givenAt: now.toISOString() },
    orgId: null,
    subscribed: true,
    identities: [address],
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  try {
    await store.people.create(created);
  } catch (error) {
    if (!(error instanceof ConcurrencyConflictError)) throw error;
    const existing = await store.people.findByAddress(address);
    if (!existing) throw error;
    await store.people.update(existing.id, { role: data.role, roleStatus, lang: data.lang, firstName: data.firstName, place }, now);
    await store.contacts.linkAddress(address, existing.id, now);
    return;
  }
  // An NGO may have imported this number already: the person's own choices win from now on.
  await store.contacts.linkAddress(address, created.id, now);
};

/** Effects of the onboarding dialog. */
/**
 * The person declined: "I kept nothing about you" must be true of the web chat's stored
 * conversation too (their language choice and their "no" were kept for the page).
 */
const refuseOnboarding: EffectHandler = async (_event, { address, store }) => {
  if (address.channel === 'webchat') await store.webchat.erase(address.id);
};

export const onboardingEffects: ReadonlyMap<string, EffectHandler> = new Map([
  [ONBOARDING_COMPLETED, completeOnboarding],
  [ONBOARDING_REFUSED, refuseOnboarding],
]);
