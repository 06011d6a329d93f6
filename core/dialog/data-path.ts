import type { Json, JsonObject } from './json.ts';

/** The JSON at a dotted path of the data (`results.items`), or undefined when absent. */
export function valueAt(data: JsonObject, path: string): Json | undefined {
  let value: Json | undefined = data;
  for (const key of path.split('.')) {
    value = value !== null && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  }
  return value;
}

/** The scalar at a dotted path of the data, as a string ('' when absent or not a scalar). */
export function scalarAt(data: JsonObject, path: string): string {
  const value = valueAt(data, path);
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}
