import { z } from 'zod';
import { defineEvent } from '../../../core/pipeline/typed-effects.ts';

/** Signals the relay sends to a person's conversation; the relay and menu steps receive them. */
export const RELAY_SIGNALS = {
  /** Someone asks for contact (or opened a relay at once). */
  request: 'relay.request',
  /** The receiver accepted: the requester can write. */
  accepted: 'relay.accepted',
  /** A message came for a relay the person is not reading now. */
  message: 'relay.message',
  /** The other side ended, blocked or reported, or the relay closed after silence, or they left. */
  ended: 'relay.ended',
  /** The person's own message holds a phone number, an e-mail address or a link: send it anyway? */
  held: 'relay.held',
} as const;

/** Every relay signal (the registry refuses a signal no step receives). */
export const RELAY_SIGNAL_NAMES: readonly string[] = Object.values(RELAY_SIGNALS);

const relayId = z.string().min(1).max(64);
const optionalText = z.string().max(2000).nullish();

/** Events of the relay's dialogs, with their payloads (the dialog data they carry). */
export const RELAY_EVENTS = {
  /** A flow asks for contact about a subject (a task: its result says what happened). */
  request: defineEvent(
    'relay.request',
    z.object({
      subjectKind: z.string().min(1).max(40),
      subjectId: z.string().min(1).max(100),
      toPersonId: z.string().min(1).max(100),
      intro: optionalText,
      open: z.union([z.boolean(), z.literal('yes'), z.literal('no')]).nullish(),
      context: z.record(z.string(), z.union([z.string().max(200), z.number()])).nullish(),
    }),
  ),
  /** Opening a relay: how it looks to this person (a task). */
  enter: defineEvent('relay.enter', z.object({ relayId })),
  /** Words typed in the relay (the relay step's event), or typed at a notice about another relay (`typed`). */
  say: defineEvent(
    'relay.say',
    z.object({
      relayId: relayId.optional(),
      relayed: z.union([z.object({ type: z.literal('text'), text: z.string().max(4000) }), z.object({ type: z.literal('location') })]).optional(),
      typed: z.string().max(4000).optional(),
    }),
  ),
  decide: defineEvent('relay.decide', z.object({ view: z.object({ relayId }), decision: z.enum(['accept', 'decline']) })),
  /** End, block or report (the relay step's controls). */
  end: defineEvent('relay.end', z.object({ relayId, control: z.enum(['end', 'block', 'report']) })),
  outcome: defineEvent('relay.outcome', z.object({ outcomeOf: relayId, outcome: z.enum(['yes', 'no', 'not-yet']) })),
  original: defineEvent('relay.original', z.object({ relayId })),
  list: defineEvent('relay.list', z.object({})),
  /** What a signal means for this person now (a task of the inbox dialog). */
  inbox: defineEvent('relay.inbox', z.object({ signal: z.object({ name: z.string(), id: z.string(), payload: z.object({ relayId, messageId: z.string().optional() }) }), relayId: relayId.optional() })),
  /** Send a held message anyway, or not. */
  held: defineEvent('relay.held-answer', z.object({ view: z.object({ messageId: z.string().min(1).max(200) }), send: z.enum(['yes', 'no']) })),
  /** The first relay notification kept while the person was away (the menu's news). */
  news: defineEvent('relay.news', z.object({ news: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), payload: z.record(z.string(), z.unknown()) })) }).optional() })),
} as const;
