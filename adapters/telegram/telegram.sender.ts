import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { Address, OutboundMessage } from '../../core/messages.ts';
import { numberedList } from '../../core/outbox/render-for-channel.ts';
import type { ChannelCapabilities, ChannelSender, SendResult } from '../../core/ports/channel.port.ts';
import { inlineKeyboard, locationKeyboard, REMOVE_KEYBOARD, ReplyKeyboardTracker } from './telegram.keyboards.ts';
import { classifySendError } from './telegram.send-result.ts';

/**
 * What Telegram can show. Inline keyboards hold up to 100 buttons, but twelve (six rows of two)
 * is still readable on a phone and fits the language picker; labels over 40 characters are cut
 * on narrow screens.
 */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = { maxButtons: 12, maxButtonLabel: 40, maxTextLength: 4096, locationRequest: true };

type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

/** The Bot API methods the sender uses (TelegramBotApi; telegraf's client has them too). */
export interface TelegramMessagesApi {
  sendMessage(chatId: number | string, text: string, extra: { reply_markup?: Markup }): Promise<{ message_id: number }>;
  sendVenue(chatId: number | string, latitude: number, longitude: number, title: string, address: string, extra: { reply_markup?: Markup }): Promise<{ message_id: number }>;
  sendLocation(chatId: number | string, latitude: number, longitude: number, extra: { reply_markup?: Markup }): Promise<{ message_id: number }>;
}

/** Chat ids are numbers on the wire; a @channelusername stays a string. */
function chatIdOf(id: string): number | string {
  const n = Number(id);
  return /^-?\d+$/.test(id) && Number.isSafeInteger(n) ? n : id;
}

/**
 * Sends to people on Telegram: sendMessage for plain text, inline buttons or a location
 * keyboard; sendVenue or sendLocation for a place.
 */
export class TelegramSender implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly capabilities = TELEGRAM_CAPABILITIES;
  private readonly keyboards = new ReplyKeyboardTracker();

  constructor(private readonly api: TelegramMessagesApi) {}

  /** The person wrote: a location keyboard shown to them is now answered (see ReplyKeyboardTracker). */
  noteInbound(chatId: string): void {
    this.keyboards.answered(chatId);
  }

  /** Sends one message; platform and network errors come back classified, never thrown. */
  async send(to: Address, message: OutboundMessage): Promise<SendResult> {
    if (to.channel !== 'telegram') return { status: 'permanent-failure', detail: `telegram sender cannot reach a ${to.channel} address` };
    if (message.type === 'location') return this.sendPlace(to.id, message);
    const { text, markup } = this.shape(to.id, message);
    try {
      const sent = await this.api.sendMessage(chatIdOf(to.id), text, markup ? { reply_markup: markup } : {});
      if (message.type === 'location-request') this.keyboards.shown(to.id);
      else if (markup === REMOVE_KEYBOARD) this.keyboards.removed(to.id);
      return { status: 'delivered', platformMessageId: `${to.id}:${sent.message_id}` };
    } catch (error) {
      return classifySendError(error);
    }
  }

  /**
   * A place as a map pin. Why sendVenue when it has a name: sendLocation takes no caption, and
   * a venue shows the name on the pin itself, in one message (a caption sent as a separate text
   * could arrive alone if the second call failed, and a retry would repeat it). The core knows a
   * name, not a street, and the Bot API requires a non-empty address: the coordinates stand in.
   * A pin can carry a pending keyboard removal like any plain message.
   */
  private async sendPlace(chatId: string, place: Extract<OutboundMessage, { type: 'location' }>): Promise<SendResult> {
    const removal = this.keyboards.removalDue(chatId);
    const extra = removal ? { reply_markup: REMOVE_KEYBOARD } : {};
    const title = place.text.trim();
    try {
      const sent = title
        ? await this.api.sendVenue(chatIdOf(chatId), place.latitude, place.longitude, title, `${place.latitude.toFixed(5)}, ${place.longitude.toFixed(5)}`, extra)
        : await this.api.sendLocation(chatIdOf(chatId), place.latitude, place.longitude, extra);
      if (removal) this.keyboards.removed(chatId);
      return { status: 'delivered', platformMessageId: `${chatId}:${sent.message_id}` };
    } catch (error) {
      return classifySendError(error);
    }
  }

  private shape(chatId: string, message: Exclude<OutboundMessage, { type: 'location' }>): { text: string; markup?: Markup } {
    // Only plain messages can carry the removal: a message has one reply_markup, and an inline
    // keyboard takes it (the removal then waits for the next plain message).
    const plain = this.keyboards.removalDue(chatId) ? { markup: REMOVE_KEYBOARD } : {};
    switch (message.type) {
      case 'text':
        return { text: message.text, ...plain };
      case 'choices': {
        const keyboard = inlineKeyboard(message.choices);
        // An id too long for callback data: a numbered list, answered by typing the number.
        return keyboard ? { text: message.text, markup: keyboard } : { text: numberedList(message.text, message.choices), ...plain };
      }
      case 'location-request':
        return { text: message.text, markup: locationKeyboard(message.skip) };
      case 'template':
        // Templates exist on WhatsApp only; anywhere else their words are a plain message.
        return { text: message.text, ...plain };
    }
  }
}
