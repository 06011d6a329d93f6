import type { Choice, OutboundMessage } from '../messages.ts';
import type { ChannelCapabilities } from '../ports/channel.port.ts';

/**
 * Splits a text into parts of at most `max` characters, cutting after a line or a sentence
 * when possible (Latin, Arabic, Ethiopic and Urdu/Pashto full stops), else at a space.
 */
export function splitText(text: string, max: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    const cut =
      lastBoundary(window, /\n/g) ?? lastBoundary(window, /[.!?؟۔።](?=\s)/g) ?? lastBoundary(window, /\s/g) ?? max;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}

function lastBoundary(window: string, pattern: RegExp): number | null {
  let end: number | null = null;
  for (const match of window.matchAll(pattern)) {
    const at = match.index + match[0].length;
    // Why: a cut in the first fifth would leave a tiny fragment and many messages.
    if (at > window.length / 5 && at <= window.length - 1) end = at;
  }
  return end;
}

/**
 * A choice list as text: "1. Label" per line, for channels without buttons; compact ("1 Label",
 * no blank line) where each character costs (SMS).
 */
export function numberedList(text: string, choices: readonly Choice[], compact = false): string {
  if (compact) return `${text}\n${choices.map((c, i) => `${i + 1} ${c.label}`).join('\n')}`;
  return `${text}\n\n${choices.map((c, i) => `${i + 1}. ${c.label}`).join('\n')}`;
}

/**
 * Adapts one outbound message to what a channel can show: buttons when they fit, a numbered
 * list otherwise (a reply of "2" still works, see matchChoice), a typed-place fallback where
 * the channel cannot ask for a pin, and long texts split. Only the last part carries buttons.
 * A location passes unchanged: its caption is a place's name, and each adapter shows it as a
 * pin or as text with a map link (see mapLink).
 */
export function renderForChannel(message: OutboundMessage, caps: ChannelCapabilities): OutboundMessage[] {
  // A place and a template pass whole: each adapter shows them natively or as text.
  if (message.type === 'location' || message.type === 'template') return [message];
  let shaped: OutboundMessage = message;
  if (shaped.type === 'location-request' && !caps.locationRequest) {
    shaped = shaped.skip ? { type: 'choices', text: shaped.text, choices: [shaped.skip] } : { type: 'text', text: shaped.text };
  }
  if (shaped.type === 'choices') {
    const fits = shaped.choices.length <= caps.maxButtons && shaped.choices.every((c) => [...c.label].length <= caps.maxButtonLabel);
    if (!fits) shaped = { type: 'text', text: numberedList(shaped.text, shaped.choices, caps.compactLists === true) };
  }
  const parts = splitText(shaped.text, caps.maxTextLength);
  const last = parts.pop() ?? '';
  return [...parts.map((text): OutboundMessage => ({ type: 'text', text })), { ...shaped, text: last }];
}
