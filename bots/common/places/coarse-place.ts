import { UNITS, cellToLatLng, greatCircleDistance, latLngToCell } from 'h3-js';

/**
 * H3 resolution of every place kept: cells of about 5 km² (some 2.5 km across), coarse enough
 * that nobody's door can be found from it, fine enough for "about 3 km away".
 */
export const PLACE_RESOLUTION = 7;

/** A shared pin as it is saved: its H3 cell and the cell's centre, never the point itself. */
export type ReducedPin = {
  readonly type: 'pin';
  readonly cell: string;
  readonly latitude: number;
  readonly longitude: number;
};

/**
 * A place the product keeps and compares: a coarse cell, its centre, and the town it is in or
 * near (Latin-script name from the gazetteer, ISO 3166 country code).
 */
export type CoarsePlace = {
  readonly type: 'area';
  readonly cell: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly town: string;
  readonly country: string;
};

/** Centres are rounded to 5 decimals (about 1 m): the cell centre, with no false precision. */
function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

/** The coarse cell containing a point, and that cell's centre. */
export function cellOf(latitude: number, longitude: number): { cell: string; latitude: number; longitude: number } {
  const cell = latLngToCell(latitude, longitude, PLACE_RESOLUTION);
  const [lat, lng] = cellToLatLng(cell);
  return { cell, latitude: round5(lat), longitude: round5(lng) };
}

/**
 * Reduces a shared pin at once, before anything is stored (the location step's `reducePin`):
 * the exact point is dropped here and never reaches a session, a log or a row.
 */
export function reducePin(latitude: number, longitude: number): ReducedPin {
  return { type: 'pin', ...cellOf(latitude, longitude) };
}

/** Distance between two places' centres, in kilometres. */
export function distanceKm(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }): number {
  return greatCircleDistance([a.latitude, a.longitude], [b.latitude, b.longitude], UNITS.km);
}

/**
 * How a distance is said: under a kilometre, "less than 1 km"; else a rounded number ("about 3
 * km"; to 5 km past 20), since both ends are cell centres and more precision would be false.
 */
export function roundedDistance(km: number): { readonly key: 'common:places.lessThanOneKm' } | { readonly key: 'common:places.aboutKm'; readonly km: number } {
  if (km < 1) return { key: 'common:places.lessThanOneKm' };
  const km2 = km < 20 ? Math.round(km) : Math.round(km / 5) * 5;
  return { key: 'common:places.aboutKm', km: Math.max(1, km2) };
}
