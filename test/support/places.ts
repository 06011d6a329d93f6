import { reducePin } from '../../bots/common/places/coarse-place.ts';

/** How a shared pin is stored for a person: the centre of its coarse cell, never the point itself. */
export function storedPin(latitude: number, longitude: number): { type: 'pin'; latitude: number; longitude: number } {
  const reduced = reducePin(latitude, longitude);
  return { type: 'pin', latitude: reduced.latitude, longitude: reduced.longitude };
}
