import type { CoarsePlace } from '../../core/ports/jobs.port.ts';
import type { Place } from '../../core/ports/people.port.ts';
import type { Gazetteer } from '../common/places/gazetteer.ts';
import { defaultPlace } from '../common/places/place-lookup.ts';

/**
 * Where the jobs flow gets its places: a pin made coarse (its H3 cell's centre, never the exact
 * point), a typed town found in the offline gazetteer; both from the shared `bots/common/places/`.
 */
export interface JobPlaces {
  /** A shared pin or a typed town as a coarse place; null when it is not clear which town it is. */
  resolve(place: Place): Promise<CoarsePlace | null>;
}

/** The shared place handling, as the jobs flow stores it: cell centre and town name. */
export function gazetteerPlaces(gazetteer: () => Gazetteer): JobPlaces {
  return {
    async resolve(place) {
      const found = defaultPlace(gazetteer(), place);
      return found ? { latitude: found.latitude, longitude: found.longitude, label: found.town } : null;
    },
  };
}
