import { z } from 'zod';
import type { EffectHandler } from '../../core/pipeline/effects.ts';
import { ROLES, type Person, type Place } from '../../core/ports/people.port.ts';
import { ONBOARDING_COMPLETED, firstNameSchema } from './onboarding.dialog.ts';

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
  await store.people.create(created);
  // An NGO may have imported this number already: the person's own choices win from now on.
  await store.contacts.linkAddress(address, created.id, now);
};

/** Effects of the onboarding dialog. */
export const onboardingEffects: ReadonlyMap<string, EffectHandler> = new Map([[ONBOARDING_COMPLETED, completeOnboarding]]);
