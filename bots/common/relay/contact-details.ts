import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js/max';

/** What in a message would let the other person reach the writer outside Passerelle. */
export type ContactDetail = 'phone' | 'email' | 'link';

/**
 * Countries whose national formats ("06 12 34 56 78") are searched besides international ones:
 * where the people we serve live and where they come from. Why a list: a national number has
 * no country code, and libphonenumber only finds it given a default country.
 */
const COUNTRIES: readonly CountryCode[] = ['FR', 'DE', 'GB', 'IT', 'ES', 'BE', 'NL', 'UA', 'TR', 'AF', 'IR', 'SY', 'ER', 'SO', 'US'];

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
const LINK = /\b(https?:\/\/|www\.)\S+|\b[\p{L}\p{N}-]+\.(com|org|net|fr|de|uk|ua|tr|me|io|info|app|ly|gl|co|link|page|site|online)\b(\/\S*)?|\b(t\.me|wa\.me|m\.me)\/\S+|@[A-Za-z][A-Za-z0-9_]{4,31}\b/iu;
/** Any run of 9 or more digits, spaced or not: a number no known format caught is still a number. */
const DIGIT_RUN = /(\d[\s().-]{0,2}){8,}\d/u;

/**
 * Why a minimum: some national plans have valid numbers of 4 to 6 digits (German "1641"), which
 * would hold every message that mentions a year or a house number; personal numbers are longer.
 */
const MIN_NATIONAL_DIGITS = 7;

/** Whether libphonenumber finds a personal-length number in the text, optionally in a country's national format. */
function hasNumber(text: string, country?: CountryCode): boolean {
  const found = country ? findPhoneNumbersInText(text, { defaultCountry: country }) : findPhoneNumbersInText(text);
  return found.some((f) => f.number.nationalNumber.length >= MIN_NATIONAL_DIGITS);
}

/** Eastern Arabic and Persian digits as ASCII ones, so that "٠٦١٢..." is seen as digits. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06F0-\u06F9]/g, (d) => String((d.charCodeAt(0) & 0xf) % 10));
}

/** The first kind of contact detail the text holds (phone first: it is the most common), or null. */
export function contactDetailIn(text: string): ContactDetail | null {
  const digits = asciiDigits(text);
  if (EMAIL.test(digits)) return 'email';
  if (hasNumber(digits) || DIGIT_RUN.test(digits)) return 'phone';
  for (const country of COUNTRIES) if (hasNumber(digits, country)) return 'phone';
  if (LINK.test(digits)) return 'link';
  return null;
}
