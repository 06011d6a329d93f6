import { TranslationError } from '../../../core/errors.ts';
import type { Logger } from '../../../core/ports/logger.port.ts';
import type { TargetSupport, TranslationCache, TranslationRequest, TranslationResult, Translator } from '../../../core/ports/translator.port.ts';

/** How the fake renders one text: by default `[target] text`, placeholders and tokens kept. */
export type Render = (text: string, request: TranslationRequest) => string;

/** A Translator that records every request and translates with `render`. */
export class FakeTranslator implements Translator {
  readonly requests: TranslationRequest[] = [];
  targetCalls = 0;
  /** Languages whose requests fail with this error. */
  readonly failing = new Map<string, TranslationError>();
  listingError: TranslationError | null = null;

  constructor(
    readonly name: string,
    private readonly supports: readonly TargetSupport[],
    public render: Render = (text, r) => `[${r.target}] ${text}`,
  ) {}

  async targets(): Promise<ReadonlyMap<string, TargetSupport>> {
    this.targetCalls += 1;
    if (this.listingError) throw this.listingError;
    return new Map(this.supports.map((s) => [s.lang, s]));
  }

  async translate(request: TranslationRequest): Promise<TranslationResult> {
    this.requests.push(request);
    const failure = this.failing.get(request.target);
    if (failure) throw failure;
    return { texts: request.texts.map((t) => this.render(t, request)), detectedSource: null, billedCharacters: request.texts.join('').length };
  }

  /** The requests for one target language. */
  requestsFor(target: string): TranslationRequest[] {
    return this.requests.filter((r) => r.target === target);
  }
}

/** Full support (tags and glossaries), as DeepL gives for most languages. */
export const full = (lang: string): TargetSupport => ({ lang, markup: true, glossary: true });
/** Plain text only, as DeepL gives for Persian, Pashto, Somali, and LibreTranslate for all. */
export const textOnly = (lang: string): TargetSupport => ({ lang, markup: false, glossary: false });

/** A TranslationCache in a Map, counting reads and writes. */
export class MemoryCache implements TranslationCache {
  readonly entries = new Map<string, string>();
  reads = 0;
  writes = 0;
  async getMany(keys: readonly string[]): Promise<Map<string, string>> {
    this.reads += 1;
    return new Map(keys.flatMap((k) => (this.entries.has(k) ? [[k, this.entries.get(k)!] as const] : [])));
  }
  async putMany(entries: ReadonlyMap<string, string>): Promise<void> {
    this.writes += 1;
    for (const [k, v] of entries) this.entries.set(k, v);
  }
}

/** A Logger keeping every call, to prove what logs do not contain. */
export function recordingLogger(): Logger & { readonly lines: { level: string; fields: Record<string, unknown>; message: string }[] } {
  const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
