import { normalizeAnswer } from './normalize-answer.ts';

/**
 * Words people answer a yes/no question with, in the ten languages we speak and the ones they
 * mix in (Russian "да" among Ukrainians, "ok" everywhere). Recognition only, never shown: the
 * labels people read stay in the locale files.
 */
const WORDS: Readonly<Record<'yes' | 'no', readonly string[]>> = {
  yes: [
    // en
    'yes', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'agree', 'i agree', 'of course',
    // fr
    'oui', 'ouais', "d'accord", 'daccord', 'bien sûr', "je suis d'accord",
    // ar
    'نعم', 'ايوه', 'أيوه', 'اي', 'أجل', 'موافق', 'طيب', 'تمام',
    // fa
    'بله', 'بلی', 'آره', 'باشه', 'موافقم', 'قبول',
    // ps
    'هو', 'ښه', 'سمه ده', 'منم',
    // uk
    'так', 'авжеж', 'звісно', 'згоден', 'згодна', 'гаразд', 'добре', 'да',
    // ti
    'እወ', 'ሕራይ', 'ይሰማማዕ',
    // so
    'haa', 'haye', 'waan ogolahay', 'hagaag',
    // es
    'sí', 'si', 'vale', 'claro', 'de acuerdo', 'acepto',
    // tr
    'evet', 'tamam', 'olur', 'kabul', 'kabul ediyorum',
  ],
  no: [
    // en, es
    'no', 'nope', 'nah', 'no thanks', 'i disagree',
    // fr
    'non', 'non merci',
    // ar
    'لا', 'كلا', 'لا شكرا',
    // fa
    'نه', 'خیر', 'نخیر', 'نمی خواهم',
    // ps
    'نه', 'نه مننه',
    // uk
    'ні', 'нi', 'нет', 'не згоден', 'не згодна',
    // ti
    'ኣይፋል', 'ኣይኮነን',
    // so
    'maya', 'ma rabo',
    // tr
    'hayır', 'hayir', 'yok', 'istemiyorum',
  ],
};

/** Emoji are folded away by normalizeAnswer, so they are looked up as typed (skin tones and variation selectors removed). */
const EMOJI: Readonly<Record<string, 'yes' | 'no'>> = { '👍': 'yes', '👌': 'yes', '✅': 'yes', '✔': 'yes', '🆗': 'yes', '👎': 'no', '❌': 'no', '✖': 'no' };

const FOLDED = new Map<string, 'yes' | 'no'>();
for (const meaning of ['yes', 'no'] as const) for (const word of WORDS[meaning]) FOLDED.set(normalizeAnswer(word), meaning);

/** Reads a natural yes or no ("oui", "так", "نعم", "👍"); null when the text is neither. */
export function yesOrNo(text: string): 'yes' | 'no' | null {
  const chars = [...text.replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F\s]/gu, '')];
  const first = chars[0] === undefined ? undefined : EMOJI[chars[0]];
  if (first && chars.every((c) => EMOJI[c] === first)) return first;
  return FOLDED.get(normalizeAnswer(text)) ?? null;
}
