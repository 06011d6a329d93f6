import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Json } from '../../core/dialog/json.ts';
import type { EffectContext, EffectHandler } from '../../core/pipeline/effects.ts';
import { POST_KINDS, type ExchangeBlocks, type ExchangePost } from '../../core/ports/exchange.port.ts';
import type { TranslationService } from '../../core/translation/translation-service.ts';
import { distanceKm, roundedDistance } from '../common/places/coarse-place.ts';
import { placeLabel } from '../common/places/place-lookup.ts';
import { CATEGORIES, categoryKey } from './categories.ts';
import { EXCHANGE_EVENTS as E, EXCHANGE_SUBJECT } from './exchange.events.ts';
import { lifeFrom } from './post-life.ts';
import { inReturnLine, resultText, type ReaderWords, type Text } from './post-view.ts';
import { MAX_DESCRIPTION, MAX_IN_RETURN, checkWords, dayOf } from './post-words.ts';

/** Results per page. */
export const PAGE_SIZE = 5;

/** What the exchange's effects are built from. */
export interface ExchangeEffectDeps {
  readonly translation: TranslationService;
  readonly text: Text;
  readonly blocks: ExchangeBlocks;
  /** Open posts one person may have at once. */
  readonly maxOpenPosts: number;
  readonly defaultLang: string;
}

const placeSchema = z.object({
  type: z.literal('area'),
  cell: z.string().min(1).max(20),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  town: z.string().max(200),
  country: z.string().length(2),
});
const wordsSchema = z.union([z.object({ kind: z.literal('ok'), text: z.string() }), z.object({ kind: z.enum(['none', 'gift']) })]);
const draftSchema = z.object({
  kind: z.enum(POST_KINDS),
  category: z.enum(CATEGORIES),
  description: wordsSchema,
  inReturn: wordsSchema,
  place: placeSchema,
});
const searchSchema = z.object({
  kind: z.enum(POST_KINDS),
  category: z.union([z.literal('all'), z.enum(CATEGORIES)]),
  radius: z.enum(['5', '10', '25', '50']),
  place: placeSchema,
  page: z.number().int().min(0).max(1000),
});
const pickedSchema = z.object({ post: z.string().min(1).max(64) });

/** A stable id from the effect's id: a replayed publish finds the post it made (and no phone number leaks into ids). */
function stableId(prefix: string, effectId: string): string {
  return `${prefix}-${createHash('sha256').update(effectId).digest('base64url').slice(0, 22)}`;
}

function needPerson(context: EffectContext) {
  if (!context.person) throw new Error('the exchange needs a known person');
  return context.person;
}

/** Effects of the exchange's dialogs: posting, searching, "My posts". Logs carry ids only. */
export function exchangeEffects(deps: ExchangeEffectDeps): ReadonlyMap<string, EffectHandler> {
  const { text } = deps;

  /** A post's words in the reader's language: stored once per language, translated when missing. */
  async function wordsFor(context: EffectContext, post: ExchangePost, lang: string): Promise<ReaderWords> {
    const own = { description: post.description, inReturn: post.inReturn };
    if (post.lang === lang || (own.description === null && own.inReturn === null)) return { ...own, untranslated: false };
    const stored = (await context.store.exchange.translations(post.id, [lang])).get(lang);
    if (stored !== undefined) return { ...(JSON.parse(stored) as { description: string | null; inReturn: string | null }), untranslated: false };
    const texts = [own.description, own.inReturn].filter((t): t is string => t !== null);
    // Why no cache: a person's words are theirs; they live with the post and go with it.
    const result = (await deps.translation.translateTemplates({ texts, source: post.lang, targets: [lang], glossary: null, cache: false })).get(lang);
    const translated = result?.flatMap((r) => (r.kind === 'translated' ? [r.text] : [])) ?? [];
    if (translated.length !== texts.length) return { ...own, untranslated: true };
    let i = 0;
    const words = { description: own.description === null ? null : translated[i++]!, inReturn: own.inReturn === null ? null : translated[i++]! };
    await context.store.exchange.putTranslation(post.id, lang, JSON.stringify(words), context.clock.now());
    return { ...words, untranslated: false };
  }

  const canPost: EffectHandler = async (event, context) => {
    const person = needPerson(context);
    const open = await context.store.exchange.countOpen(person.id, context.clock.now());
    const kind = z.object({ kind: z.enum(POST_KINDS) }).parse(event.payload).kind;
    return { ok: open < deps.maxOpenPosts, max: deps.maxOpenPosts, inReturnKey: kind === 'offer' ? 'exchange:askInReturnOffer' : 'exchange:askInReturnNeed' };
  };

  const checker =
    (field: string, max: number): EffectHandler =>
    async (event) => {
      const raw = z.object({ [field]: z.string() }).parse(event.payload)[field]!;
      return checkWords(raw, max);
    };

  const preview: EffectHandler = async (event, context) => {
    const person = needPerson(context);
    const draft = draftSchema.parse(event.payload);
    const lang = person.lang;
    const description = draft.description.kind === 'ok' ? draft.description.text : null;
    const lines = [text(lang, categoryKey(draft.category))];
    if (description !== null) lines.push(`“${description}”`);
    const post = { kind: draft.kind, gift: draft.inReturn.kind === 'gift' } as ExchangePost;
    const inReturn = inReturnLine(text, lang, post, draft.inReturn.kind === 'ok' ? draft.inReturn.text : null);
    if (inReturn !== null) lines.push(inReturn);
    lines.push(`📍 ${placeLabel(draft.place, lang)}`);
    return { text: lines.join('\n') };
  };

  const publish: EffectHandler = async (event, context): Promise<Json> => {
    const person = needPerson(context);
    const draft = draftSchema.parse(event.payload);
    const now = context.clock.now();
    const id = stableId('post', context.effectId);
    const existing = await context.store.exchange.get(id);
    if (!existing) {
      if ((await context.store.exchange.countOpen(person.id, now)) >= deps.maxOpenPosts) return { ok: false };
      await context.store.exchange.create({
        id,
        personId: person.id,
        kind: draft.kind,
        category: draft.category,
        description: draft.description.kind === 'ok' ? draft.description.text : null,
        lang: person.lang,
        inReturn: draft.inReturn.kind === 'ok' ? draft.inReturn.text : null,
        gift: draft.inReturn.kind === 'gift',
        cell: draft.place.cell,
        latitude: draft.place.latitude,
        longitude: draft.place.longitude,
        status: 'open',
        createdAt: now.toISOString(),
        ...lifeFrom(now),
      });
      context.logger.info({ event: 'exchange.posted', post: id, kind: draft.kind, category: draft.category }, 'a post was published');
    }
    const post = existing ?? (await context.store.exchange.get(id))!;
    return { ok: true, expires: dayOf(post.expiresAt, person.lang) };
  };

  const search: EffectHandler = async (event, context) => {
    const person = needPerson(context);
    const q = searchSchema.parse(event.payload);
    const lang = person.lang;
    const now = context.clock.now();
    const blocked = await deps.blocks.blockedEitherWay(person.id);
    const hits = await context.store.exchange.nearby({
      latitude: q.place.latitude,
      longitude: q.place.longitude,
      radiusKm: Number(q.radius),
      kind: q.kind,
      category: q.category === 'all' ? null : q.category,
      now,
      excludePersonIds: [person.id, ...blocked],
      // One more than a page: whether there is a next one.
      limit: PAGE_SIZE + 1,
      offset: q.page * PAGE_SIZE,
    });
    const page = hits.slice(0, PAGE_SIZE);
    const shown: string[] = [];
    const picks: Json[] = [];
    for (const [i, hit] of page.entries()) {
      const poster = await context.store.people.get(hit.post.personId);
      if (!poster || (await deps.blocks.isSuspended(poster.id))) continue;
      const words = await wordsFor(context, hit.post, lang);
      const n = q.page * PAGE_SIZE + i + 1;
      shown.push(resultText(text, lang, n, { ...hit, firstName: poster.firstName, words }, now));
      picks.push({ id: hit.post.id, label: text(lang, 'exchange:interested', { n }) });
    }
    const result: Record<string, Json> = { count: shown.length, text: shown.join('\n\n'), picks };
    if (hits.length > PAGE_SIZE) result['next'] = q.page + 1;
    return result;
  };

  const interest: EffectHandler = async (event, context): Promise<Json> => {
    const person = needPerson(context);
    const { next, place } = z.object({ next: z.string().min(1).max(64), place: placeSchema }).parse(event.payload);
    const post = await context.store.exchange.get(next);
    if (!post || post.status !== 'open' || post.expiresAt <= context.clock.now().toISOString() || post.personId === person.id) return { kind: 'gone' };
    // The request says how far, rounded; never where.
    const rounded = roundedDistance(distanceKm(place, post));
    return { kind: 'ok', subjectKind: EXCHANGE_SUBJECT, subjectId: post.id, toPersonId: post.personId, context: { km: rounded.key === 'common:places.aboutKm' ? rounded.km : 0 } };
  };

  /** The post picked in "My posts", if it is the person's own. */
  async function ownPost(event: { payload: Record<string, Json> }, context: EffectContext): Promise<ExchangePost | null> {
    const person = needPerson(context);
    const { post } = pickedSchema.parse(event.payload);
    const found = await context.store.exchange.get(post);
    return found && found.personId === person.id && found.status !== 'hidden' ? found : null;
  }

  const mine: EffectHandler = async (_event, context) => {
    const person = needPerson(context);
    const now = context.clock.now();
    const posts = await context.store.exchange.listByPerson(person.id);
    const options = posts.map((post) => {
      const ended = post.status === 'closed' ? text(person.lang, 'exchange:closedPost') : post.expiresAt <= now.toISOString() ? text(person.lang, 'exchange:endedOn', { date: dayOf(post.expiresAt, person.lang) }) : text(person.lang, 'exchange:openUntil', { date: dayOf(post.expiresAt, person.lang) });
      return { id: post.id, label: `${text(person.lang, categoryKey(post.category))} · ${ended}` };
    });
    return { count: options.length, options };
  };

  const renew: EffectHandler = async (event, context): Promise<Json> => {
    const post = await ownPost(event, context);
    if (!post) return { notice: 'exchange:gone' };
    const updated = await context.store.exchange.update(post.id, { status: 'open', ...lifeFrom(context.clock.now()) });
    return { notice: 'exchange:renewed', expires: dayOf(updated!.expiresAt, needPerson(context).lang) };
  };

  const close: EffectHandler = async (event, context) => {
    const post = await ownPost(event, context);
    if (!post) return { notice: 'exchange:gone' };
    await context.store.exchange.update(post.id, { status: 'closed' });
    return { notice: 'exchange:closed' };
  };

  const edit: EffectHandler = async (event, context) => {
    const post = await ownPost(event, context);
    if (!post) return { notice: 'exchange:gone' };
    const { description } = z.object({ description: z.object({ kind: z.literal('ok'), text: z.string().max(MAX_DESCRIPTION) }) }).parse(event.payload);
    // New words in the person's current language; the store drops translations of the old ones.
    await context.store.exchange.update(post.id, { description: description.text, lang: needPerson(context).lang });
    return { notice: 'exchange:edited' };
  };

  return new Map<string, EffectHandler>([
    [E.canPost, canPost],
    [E.checkDescription, checker('descriptionRaw', MAX_DESCRIPTION)],
    [E.checkInReturn, checker('inReturnRaw', MAX_IN_RETURN)],
    [E.preview, preview],
    [E.publish, publish],
    [E.search, search],
    [E.interest, interest],
    [E.mine, mine],
    [E.renew, renew],
    [E.close, close],
    [E.edit, edit],
  ]);
}
