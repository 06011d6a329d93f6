import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { BroadcastTranslation } from '../../core/ports/broadcasts.port.ts';
import { fillPlaceholders } from '../../core/translation/translation-service.ts';

/** The bot's own words around a broadcast's text in one language: who it is from, a note, how to answer. */
export interface BroadcastFrame {
  readonly header: string;
  readonly note: string;
  readonly hint: string;
}

/** The frame of a broadcast in `lang`, with the words of the recipient's channel (SMS has its own). */
export function broadcastFrame(words: TextRenderer, lang: string, orgName: string, translation: BroadcastTranslation): BroadcastFrame {
  const t = (k: string, params: Record<string, string> = {}) => words(lang, k, params);
  const untranslated = translation.kind === 'source' && translation.reason !== 'same-language';
  return { header: t('broadcast:header', { org: orgName }), note: untranslated ? `\n${t('broadcast:untranslated')}` : '', hint: t('broadcast:replyHint', { org: orgName }) };
}

/**
 * One recipient's copy: header, the text in their language with their first name, the note, the
 * hint. The SMS estimate words copies with this same function, so its count is what is sent.
 */
export function framedText(frame: BroadcastFrame, text: string, firstName: string): string {
  return `${frame.header}\n${fillPlaceholders(text, { firstName })}${frame.note}\n\n${frame.hint}`;
}
