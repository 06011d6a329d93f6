import { directionOf } from '../../core/i18n/languages.ts';
import type { Choice, OutboundMessage } from '../../core/messages.ts';
import { locationText } from '../../core/pipeline/map-link.ts';
import type { StoredWebchatEntry, WebchatAuthor } from '../../core/ports/webchat-history.port.ts';

/** One message as the page shows it: its own language and direction, text, and buttons. */
export interface WebchatView {
  /** The history cursor (null when the message could not be stored; it is still shown). */
  readonly cursor: number | null;
  readonly at: string;
  readonly author: WebchatAuthor;
  readonly lang: string | null;
  /** `auto` for the person's own words, whose language nobody declared. */
  readonly dir: 'ltr' | 'rtl' | 'auto';
  readonly type: OutboundMessage['type'];
  readonly text: string;
  readonly choices?: readonly Choice[];
  /** The page's id for the person's own message, to match its optimistic bubble. */
  readonly clientId?: string;
}

/** A place is its name and a map link (the page has no map); the rest is its text. */
function textOf(m: OutboundMessage): string {
  return m.type === 'location' ? locationText(m) : m.text;
}

/** How a message reads on the page, written in `lang` (null: the person's own words). */
export function viewOf(message: OutboundMessage, lang: string | null, cursor: number | null, at: string, author: WebchatAuthor = 'bot'): WebchatView {
  const base = { cursor, at, author, lang, dir: lang === null ? ('auto' as const) : directionOf(lang), type: message.type, text: textOf(message) };
  if (message.type === 'choices') return { ...base, choices: message.choices };
  if (message.type === 'location-request') return { ...base, choices: message.skip ? [message.skip] : [] };
  return base;
}

/** A stored entry as the page shows it. */
export function viewOfEntry(entry: StoredWebchatEntry): WebchatView {
  const view = viewOf(entry.message, entry.lang, entry.cursor, entry.at, entry.author);
  return entry.clientId === null ? view : { ...view, clientId: entry.clientId };
}
