import type { ChannelCapabilities } from '../../core/ports/channel.port.ts';

/**
 * What an SMS shows: plain text only. Choices become a compact numbered list ("reply 2"), a
 * location request becomes the question with a typed skip. No window: a carrier takes an SMS at
 * any time. Texts up to Twilio's 1,600 characters go as one concatenated SMS (the phone joins
 * the segments); the bot's own texts are kept to one segment (see test/bots/sms-prompts.test.ts).
 */
export const SMS_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 0,
  maxButtonLabel: 0,
  maxTextLength: 1600,
  locationRequest: false,
  windowMs: null,
  templates: false,
  compactLists: true,
};
