import type { Choice, OutboundMessage } from '../../core/messages.ts';
import { numberedList, splitText } from '../../core/outbox/render-for-channel.ts';

/** Limits of the Cloud API's message objects (Meta's "interactive messages" reference). */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  replyButtons: 3,
  buttonTitle: 20,
  buttonBody: 1024,
  listRows: 10,
  rowTitle: 24,
  listBody: 4096,
} as const;

/**
 * Label of the button that opens a list. It cannot be translated here (a sender does not know
 * the person's language), so it is a symbol every reader understands as "options".
 */
export const LIST_BUTTON_LABEL = '☰';

/** Every message body starts like this: one person, on WhatsApp. */
interface Envelope {
  readonly messaging_product: 'whatsapp';
  readonly recipient_type: 'individual';
  readonly to: string;
}

/** An interactive reply-buttons or list message. */
export type GraphInteractive =
  | {
      readonly type: 'button';
      readonly body: { readonly text: string };
      readonly action: { readonly buttons: readonly { readonly type: 'reply'; readonly reply: { readonly id: string; readonly title: string } }[] };
    }
  | {
      readonly type: 'list';
      readonly body: { readonly text: string };
      readonly action: {
        readonly button: string;
        readonly sections: readonly { readonly rows: readonly { readonly id: string; readonly title: string }[] }[];
      };
    };

/** The JSON body of one `POST /<phone-number-id>/messages` request. */
export type GraphMessage = Envelope &
  (
    | { readonly type: 'text'; readonly text: { readonly body: string; readonly preview_url: false } }
    | { readonly type: 'interactive'; readonly interactive: GraphInteractive }
    | { readonly type: 'location'; readonly location: GraphLocation }
    | { readonly type: 'template'; readonly template: GraphTemplate }
  );

/** A pre-approved template with its body parameters (the only message allowed outside the 24 h window). */
export interface GraphTemplate {
  readonly name: string;
  readonly language: { readonly code: string };
  readonly components: readonly { readonly type: 'body'; readonly parameters: readonly { readonly type: 'text'; readonly text: string }[] }[];
}

/** A location message: a pin, with the place's name when it has one. */
export interface GraphLocation {
  readonly latitude: number;
  readonly longitude: number;
  readonly name?: string;
}

const chars = (s: string): number => [...s].length;
const fitsAll = (choices: readonly Choice[], max: number): boolean => choices.every((c) => chars(c.label) <= max);

/**
 * Turns one outbound message into the Cloud API requests that show it, in order: up to 3
 * choices become reply buttons, up to 10 a list, more (or labels too long) a numbered text.
 * A body longer than the interactive limit is sent first as plain text, then the rest with
 * the buttons. A place becomes one location message (a native pin). Location requests arrive
 * here only if a caller bypassed the capabilities.
 */
export function graphMessages(to: string, message: OutboundMessage): GraphMessage[] {
  const envelope: Envelope = { messaging_product: 'whatsapp', recipient_type: 'individual', to };
  const text = (body: string): GraphMessage => ({ ...envelope, type: 'text', text: { body, preview_url: false } });
  const texts = (body: string): GraphMessage[] => splitText(body, WHATSAPP_LIMITS.textBody).map(text);

  if (message.type === 'template') {
    const parameters = message.params.map((text) => ({ type: 'text' as const, text }));
    const template: GraphTemplate = { name: message.name, language: { code: message.language }, components: parameters.length > 0 ? [{ type: 'body', parameters }] : [] };
    return [{ ...envelope, type: 'template', template }];
  }
  if (message.type === 'location') {
    const name = message.text.trim();
    // Why no empty name: `name` is optional, and an unnamed place is just a pin.
    const location: GraphLocation = { latitude: message.latitude, longitude: message.longitude, ...(name ? { name } : {}) };
    return [{ ...envelope, type: 'location', location }];
  }

  const shaped: Extract<OutboundMessage, { type: 'text' | 'choices' }> =
    message.type === 'location-request'
      ? message.skip
        ? { type: 'choices', text: message.text, choices: [message.skip] }
        : { type: 'text', text: message.text }
      : message;
  if (shaped.type === 'text' || shaped.choices.length === 0) return texts(shaped.text);

  const { choices } = shaped;
  const interactive = (maxBody: number, build: (body: string) => GraphInteractive): GraphMessage[] => {
    const parts = splitText(shaped.text, maxBody);
    // Why: Meta refuses an interactive message with an empty body.
    const last = parts.pop() || '…';
    return [...parts.map(text), { ...envelope, type: 'interactive', interactive: build(last) }];
  };
  if (choices.length <= WHATSAPP_LIMITS.replyButtons && fitsAll(choices, WHATSAPP_LIMITS.buttonTitle)) {
    return interactive(WHATSAPP_LIMITS.buttonBody, (body) => ({
      type: 'button',
      body: { text: body },
      action: { buttons: choices.map((c) => ({ type: 'reply', reply: { id: c.id, title: c.label } })) },
    }));
  }
  if (choices.length <= WHATSAPP_LIMITS.listRows && fitsAll(choices, WHATSAPP_LIMITS.rowTitle)) {
    return interactive(WHATSAPP_LIMITS.listBody, (body) => ({
      type: 'list',
      body: { text: body },
      action: { button: LIST_BUTTON_LABEL, sections: [{ rows: choices.map((c) => ({ id: c.id, title: c.label })) }] },
    }));
  }
  return texts(numberedList(shaped.text, choices));
}
