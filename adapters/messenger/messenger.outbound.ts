import { ActionTypes, MessageFactory, type Activity, type CardAction } from 'botbuilder';
import type { Choice, OutboundMessage } from '../../core/messages.ts';
import { locationText } from '../../core/pipeline/map-link.ts';
import type { ChannelCapabilities } from '../../core/ports/channel.port.ts';

/**
 * What Messenger shows through the Bot Framework. Suggested actions become Facebook quick
 * replies: at most 13, titles cut after 20 characters; 11 leaves room under that limit for the
 * 10-language picker. Texts are at most 2000 characters. No location request: Facebook stopped
 * sending shared locations to bots, so the core asks for a typed town with a Skip choice.
 */
export const MESSENGER_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 11,
  maxButtonLabel: 20,
  maxTextLength: 2000,
  locationRequest: false,
  // Messenger's standard messaging window: the outbox holds what comes later (no message tags).
  windowMs: 24 * 60 * 60 * 1000,
};

/**
 * A choice as a postBack action: Facebook shows the title as a quick reply and sends back the
 * value as `quick_reply.payload`; Web Chat and the Emulator send the value as hidden text.
 */
function action(choice: Choice): CardAction {
  return { type: ActionTypes.PostBack, title: choice.label, value: choice.id };
}

/** The Bot Framework activity for one outbound message (already rendered for the capabilities). */
export function toActivity(message: OutboundMessage): Partial<Activity> {
  switch (message.type) {
    case 'text':
      return MessageFactory.text(message.text);
    case 'choices':
      return MessageFactory.suggestedActions(message.choices.map(action), message.text);
    case 'location-request':
      // Rendering normally turns this into a Skip choice; kept correct if a caller skips it.
      return message.skip ? MessageFactory.suggestedActions([action(message.skip)], message.text) : MessageFactory.text(message.text);
    case 'location':
      // Messenger's Send API has no outbound location (its location attachments are inbound
      // only): the place's name, then a map link.
      return MessageFactory.text(locationText(message));
    case 'template':
      // Templates exist on WhatsApp only; here their words are a plain message.
      return MessageFactory.text(message.text);
  }
}
