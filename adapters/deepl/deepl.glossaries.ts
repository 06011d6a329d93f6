import { type DeepLClient, GlossaryEntries } from 'deepl-node';
import type { Glossary } from '../../core/ports/translator.port.ts';

/**
 * DeepL glossaries for our glossaries, created once per (glossary id, source, target) and
 * remembered in memory. Uses the v3 (multilingual) glossary API, one dictionary per glossary, so
 * that a rejected language pair fails only that language. Each glossary is named after our id
 * and the pair; on the first need, the existing glossaries are listed once so that a restart
 * reuses them instead of creating duplicates. Our glossary id changes with its entries, so a
 * name never points at stale terms. Old glossaries are not deleted here.
 */
export class DeepLGlossaries {
  private readonly ids = new Map<string, Promise<string>>();
  private existing: Promise<ReadonlyMap<string, string>> | null = null;

  constructor(private readonly client: DeepLClient) {}

  /** The DeepL glossary id for this glossary and pair, created on first use. */
  idFor(glossary: Glossary, source: string, target: string): Promise<string> {
    const name = glossaryName(glossary, source, target);
    let id = this.ids.get(name);
    if (!id) {
      // Why a shared promise: every language of a broadcast is translated at once; two
      // simultaneous first uses must create one glossary, not two.
      id = this.findOrCreate(name, glossary, source, target);
      this.ids.set(name, id);
      id.catch(() => this.ids.delete(name));
    }
    return id;
  }

  /** Forgets a glossary DeepL no longer knows (deleted by hand): the next use recreates it. */
  forget(glossary: Glossary, source: string, target: string): void {
    this.ids.delete(glossaryName(glossary, source, target));
    this.existing = null;
  }

  private async findOrCreate(name: string, glossary: Glossary, source: string, target: string): Promise<string> {
    const found = (await this.listExisting()).get(name);
    if (found) return found;
    const entries = new GlossaryEntries({ entries: { ...glossary.entries[target] } });
    const info = await this.client.createMultilingualGlossary(name, [{ sourceLangCode: source, targetLangCode: target, entries }]);
    return info.glossaryId;
  }

  private listExisting(): Promise<ReadonlyMap<string, string>> {
    // Why tolerate a failed listing: at worst one duplicate glossary is created.
    this.existing ??= this.client.listMultilingualGlossaries().then(
      (all) => new Map(all.map((g) => [g.name, g.glossaryId])),
      () => new Map(),
    );
    return this.existing;
  }
}

function glossaryName(glossary: Glossary, source: string, target: string): string {
  return `passerelle ${glossary.id} ${source}-${target}`;
}
