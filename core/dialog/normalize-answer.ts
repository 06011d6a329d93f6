/**
 * Folds a typed answer so that "2", "٢", "۲", " Oui! " and "oui" compare equal to what we showed.
 * People type on old phones with varied keyboards: case, accents, Arabic diacritics, punctuation
 * and Eastern Arabic or Persian digits must not make an answer "invalid".
 */
export function normalizeAnswer(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .toLocaleLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
