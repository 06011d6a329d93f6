/**
 * Degrees with at most 7 decimals (about a centimetre), without trailing zeros or an exponent:
 * `String(1e-7)` is "1e-7", which map sites do not read.
 */
function degrees(value: number): string {
  const fixed = value.toFixed(7).replace(/\.?0+$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/**
 * An OpenStreetMap link that drops a marker on a place, for channels that cannot send a
 * location natively. Plain: no tracking parameters, no account, works in any browser.
 */
export function mapLink(latitude: number, longitude: number): string {
  const lat = degrees(latitude);
  const lon = degrees(longitude);
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=17/${lat}/${lon}`;
}

/** A place as text: its name on the first line (when it has one), then the {@link mapLink}. */
export function locationText(message: { readonly text: string; readonly latitude: number; readonly longitude: number }): string {
  const link = mapLink(message.latitude, message.longitude);
  const caption = message.text.trim();
  return caption ? `${caption}\n${link}` : link;
}
