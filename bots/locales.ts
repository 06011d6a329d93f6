import { readdirSync, readFileSync } from 'node:fs';
import type { LocaleResources } from '../core/i18n/text-renderer.ts';

const BOTS_DIR = new URL('./', import.meta.url);

/**
 * Reads every `bots/<flow>/locales/<lang>.json` into i18next resources, the flow's folder name
 * being the namespace. Read once at start-up.
 */
export function loadLocales(): LocaleResources {
  const resources: LocaleResources = {};
  for (const flow of readdirSync(BOTS_DIR, { withFileTypes: true })) {
    if (!flow.isDirectory()) continue;
    const dir = new URL(`${flow.name}/locales/`, BOTS_DIR);
    let files: string[];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      continue;
    }
    for (const file of files) {
      const lang = file.slice(0, -'.json'.length);
      const table = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Record<string, unknown>;
      (resources[lang] ??= {})[flow.name] = table as never;
    }
  }
  return resources;
}
