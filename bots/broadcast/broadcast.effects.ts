import { z } from 'zod';
import type { EffectContext, EffectHandler } from '../../core/pipeline/effects.ts';
import type { Json } from '../../core/dialog/json.ts';
import type { ChannelName } from '../../core/messages.ts';
import { LANGUAGES } from '../../core/i18n/languages.ts';
import type { BroadcastService } from './broadcast.service.ts';
import { BROADCAST_EVENTS, orgCodeSchema } from './broadcast.dialogs.ts';
import type { ReplyDesk } from './replies.ts';

/** What the broadcast effects use. */
export interface BroadcastEffectsDeps {
  readonly broadcasts: BroadcastService;
  readonly replies: ReplyDesk;
  /** Whether messages outside a turn (news) can reach people on this channel (a sender runs for it). */
  readonly receivesNews: (channel: ChannelName) => boolean;
}

const joinPayload = z.object({ startPayload: z.string() });
const composePayload = z.object({ text: z.string().min(1).max(2000), lang1: z.string(), lang2: z.string() });

/** The person as stored now (onboarding may have created them earlier in this very turn). */
async function currentPerson(context: EffectContext) {
  return context.person ?? (await context.store.people.findByAddress(context.address));
}

/** What joining by a code gave: joined, a channel that cannot carry news, or an unknown code. */
export type JoinOutcome = { kind: 'joined'; orgName: string } | { kind: 'no-news'; orgName: string } | { kind: 'unknown-code' };

/** Joins the organisation of a code, from a channel that `receivesNews` says news can reach. */
export async function join(code: string, context: EffectContext, receivesNews: BroadcastEffectsDeps['receivesNews']): Promise<JoinOutcome> {
  const parsed = orgCodeSchema.safeParse(code);
  const org = parsed.success ? await context.store.organisations.findByCode(parsed.data) : null;
  const person = await currentPerson(context);
  if (!org || !person) return { kind: 'unknown-code' };
  // Why no contact: the terminal chat (or a channel switched off) cannot carry news, and a
  // contact there would be promised broadcasts that can never arrive.
  if (!receivesNews(context.address.channel)) return { kind: 'no-news', orgName: org.name };
  // Joining asks for that organisation's news: a person who once typed "stop" is promised it,
  // so they are subscribed again (other organisations they stopped stay stopped).
  if (!person.subscribed) await context.store.people.update(person.id, { subscribed: true }, context.clock.now());
  await context.store.contacts.join(
    org.id,
    { personId: person.id, firstName: person.firstName, phone: null, lang: person.lang, channel: context.address.channel, address: context.address, tags: [] },
    context.ids.newId(),
    context.clock.now(),
  );
  context.logger.info({ org: org.id, channel: context.address.channel }, 'a person joined an organisation');
  return { kind: 'joined', orgName: org.name };
}

/** Staff may broadcast once an administrator approved them for an organisation. */
async function staffOrg(context: EffectContext) {
  const person = await currentPerson(context);
  if (!person || person.role !== 'ngo-staff' || person.roleStatus !== 'active' || !person.orgId) return null;
  const org = await context.store.organisations.get(person.orgId);
  return org ? { person, org } : null;
}

/** Effects of the join and staff-broadcast dialogs (replies come through the free-text router: broadcast.routes.ts). */
export function broadcastEffects(deps: BroadcastEffectsDeps): ReadonlyMap<string, EffectHandler> {
  const nameOf = (code: string) => LANGUAGES.find((l) => l.code === code)?.nativeName ?? code;
  return new Map<string, EffectHandler>([
    [BROADCAST_EVENTS.join, async (event, context) => join(joinPayload.parse(event.payload).startPayload, context, deps.receivesNews)],
    [BROADCAST_EVENTS.canCompose, async (_event, context): Promise<Json> => ({ ok: (await staffOrg(context)) !== null })],
    [
      BROADCAST_EVENTS.preview,
      async (event, context): Promise<Json> => {
        const staff = await staffOrg(context);
        if (!staff) throw new Error('preview asked by someone who is not approved staff');
        const { text, lang1, lang2 } = composePayload.parse(event.payload);
        const [previews, recipients] = await Promise.all([
          deps.broadcasts.preview(staff.org, text, [lang1, lang2]),
          context.store.contacts.countAudience(staff.org.id, { type: 'all' }),
        ]);
        return { recipients, name1: nameOf(lang1), text1: previews.get(lang1) ?? text, name2: nameOf(lang2), text2: previews.get(lang2) ?? text };
      },
    ],
    [
      BROADCAST_EVENTS.create,
      async (event, context): Promise<Json> => {
        const staff = await staffOrg(context);
        if (!staff) throw new Error('broadcast asked by someone who is not approved staff');
        const { text } = composePayload.parse(event.payload);
        const { broadcast, recipients } = await deps.broadcasts.create({
          // Derived from the effect: a replay after a crash finds this broadcast instead of making a second.
          id: `b-${context.effectId}`,
          orgId: staff.org.id,
          text,
          sourceLang: staff.person.lang,
          audience: { type: 'all' },
          origin: 'staff-chat',
        });
        return { id: broadcast.id, recipients };
      },
    ],
  ]);
}
