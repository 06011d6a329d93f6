import type { InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { Choice } from '../../core/messages.ts';

/** Telegram refuses callback data over 64 bytes (BUTTON_DATA_INVALID). */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** Labels up to this many characters sit two to a row; longer ones get a row each. */
const SHORT_LABEL = 14;
/** The location button's label: a pin reads the same in every language; the text explains it. */
export const LOCATION_BUTTON_LABEL = '📍';

/**
 * An inline keyboard with one button per choice, its id as callback data. Two buttons per row
 * when every label is short, else one per row so long labels are not cut. Null when an id does
 * not fit in callback data (the caller then sends a numbered list, which still works).
 */
export function inlineKeyboard(choices: readonly Choice[]): InlineKeyboardMarkup | null {
  if (choices.some((c) => Buffer.byteLength(c.id, 'utf8') > MAX_CALLBACK_DATA_BYTES || c.id === '')) return null;
  const buttons: InlineKeyboardButton[] = choices.map((c) => ({ text: c.label, callback_data: c.id }));
  const perRow = choices.every((c) => [...c.label].length <= SHORT_LABEL) ? 2 : 1;
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += perRow) rows.push(buttons.slice(i, i + perRow));
  return { inline_keyboard: rows };
}

/**
 * A reply keyboard asking for the person's location pin, with the skip option under it.
 * `request_location` only works on reply keyboards in private chats; one_time hides it after a
 * tap and resize keeps it small. Tapping the skip button sends its label as text, which the
 * core matches against the shown choice.
 */
export function locationKeyboard(skip?: Choice): ReplyKeyboardMarkup {
  const rows: KeyboardButton[][] = [[{ text: LOCATION_BUTTON_LABEL, request_location: true }]];
  if (skip) rows.push([{ text: skip.label }]);
  return { keyboard: rows, one_time_keyboard: true, resize_keyboard: true };
}

/** Removes a reply keyboard from the person's screen. */
export const REMOVE_KEYBOARD: ReplyKeyboardRemove = { remove_keyboard: true };

/** Why a cap: the tracker lives in memory; chats that never answer must not grow it forever. */
const MAX_TRACKED_CHATS = 10_000;

/**
 * Remembers which chats show our location reply keyboard. A reply keyboard stays on screen
 * until a message removes it (one_time only hides it after a button tap, not after a typed
 * town), so once the person has answered, the next plain message we send removes it. Kept in
 * memory: after a restart a keyboard may linger until the next location question.
 */
export class ReplyKeyboardTracker {
  private readonly chats = new Map<string, 'shown' | 'answered'>();

  /** A location keyboard was just delivered to this chat. */
  shown(chatId: string): void {
    this.chats.delete(chatId);
    this.chats.set(chatId, 'shown');
    if (this.chats.size > MAX_TRACKED_CHATS) {
      const oldest = this.chats.keys().next().value;
      if (oldest !== undefined) this.chats.delete(oldest);
    }
  }

  /** The person wrote after the keyboard was shown: it has served its purpose. */
  answered(chatId: string): void {
    if (this.chats.get(chatId) === 'shown') this.chats.set(chatId, 'answered');
  }

  /** Whether the next message to this chat should carry remove_keyboard. */
  removalDue(chatId: string): boolean {
    return this.chats.get(chatId) === 'answered';
  }

  /** The keyboard was removed (or replaced by a message we sent). */
  removed(chatId: string): void {
    this.chats.delete(chatId);
  }
}
