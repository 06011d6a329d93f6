import type { Place } from '../../core/ports/people.port.ts';
import type { CoarsePlace } from '../../core/ports/jobs.port.ts';

/**
 * Where the jobs flow gets its places: a pin made coarse, a typed town found in a gazetteer.
 * The seam to the shared place handling of `bots/common/places/` (wired in app.ts).
 */
export interface JobPlaces {
  /** A shared pin or a typed town as a coarse place; null when a typed name is not found. */
  resolve(place: Place, lang: string): Promise<CoarsePlace | null>;
}

/**
 * The place handling used until the shared one is wired: a pin rounded to about 1 km (never the
 * exact spot), a typed name kept as a label without coordinates (so no distance is claimed).
 */
export const roundedPins: JobPlaces = {
  async resolve(place) {
    if (place.type === 'typed') return null;
    const round = (x: number) => Math.round(x * 100) / 100;
    return { latitude: round(place.latitude), longitude: round(place.longitude), label: null };
  },
};
