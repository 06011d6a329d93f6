import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { BroadcastService } from '../../bots/broadcast/broadcast.service.ts';
import type { ReplyDesk } from '../../bots/broadcast/replies.ts';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import type { Audience, Contact } from '../../core/ports/contacts.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { cleanFreeText, TAG_PATTERN } from '../../core/text/people-text.ts';
import { jsonBody } from './json-body.ts';
import { orgOf, requireOrg } from './org-auth.ts';
import { sendValidationError } from './validation-error.ts';
import { checkRouteIds } from './route-ids.ts';

const lang = z.enum(LANGUAGE_CODES as [string, ...string[]]);
const tags = z.array(z.string().trim().min(1).max(40).regex(TAG_PATTERN, 'must start with a letter or digit')).min(1).max(20);
/** A message an organisation writes: cleaned like people's words, so controls alone are empty. */
const messageText = z.string().transform(cleanFreeText).pipe(z.string().trim().min(1, 'must not be empty').max(4000));

const newBroadcast = z.strictObject({
  text: messageText,
  sourceLang: z.union([lang, z.literal('auto')]).default('auto'),
  audience: z.union([z.literal('all'), z.strictObject({ tags })]).default('all'),
  scheduleAt: z.iso.datetime({ offset: true }).optional(),
});
const answer = z.strictObject({ text: messageText });
const telegramSettings = z.strictObject({ staffChatId: z.string().regex(/^-?\d{1,20}$/).nullable() });
// Why partialRecord: zod 4's record over an enum requires every language; a glossary names a few.
const glossary = z.strictObject({ glossary: z.partialRecord(lang, z.record(z.string().min(1).max(100), z.string().min(1).max(100))) });
const page = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100), after: z.string().max(100).optional() });
const inboxQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(200), contactId: z.string().min(1).max(100).optional() });

/** What an organisation may see of a contact: its own data, never another organisation's. */
function contactView(c: Contact) {
  return { id: c.id, firstName: c.firstName, phone: c.phone, lang: c.lang, channel: c.channel, tags: c.tags, source: c.source, subscribed: c.subscribed, unreachable: c.unreachable };
}

/**
 * What an NGO should know before its broadcast goes out: tags that match no one (a typo, or a
 * tag its import did not have), and an audience that reaches nobody.
 */
async function audienceWarnings(store: Store, orgId: string, audience: Audience, recipients: number): Promise<{ field: string; message: string }[]> {
  const warnings: { field: string; message: string }[] = [];
  if (audience.type === 'tags') {
    for (const tag of audience.tags) {
      if ((await store.contacts.countAudience(orgId, { type: 'tags', tags: [tag] })) === 0) warnings.push({ field: 'audience.tags', message: `no subscribed contact has the tag "${tag}"` });
    }
  }
  if (recipients === 0) warnings.push({ field: 'audience', message: 'no contact will receive this broadcast' });
  return warnings;
}

/**
 * The admin API of an organisation, authenticated by its API key: broadcasts, contacts, the
 * inbox of replies, answers, and Telegram settings. An id of another organisation is a 404.
 */
export function adminApiRouter(deps: { store: Store; broadcasts: BroadcastService; replies: ReplyDesk; extra?: readonly Router[] }): Router {
  const { store } = deps;
  const router = checkRouteIds(Router(), ['id']);
  // Scoped to the admin paths: /api/webchat and Messenger's /api/messages have their own rules.
  router.use(['/api/broadcasts', '/api/contacts', '/api/inbox', '/api/organisation'], requireOrg(store));
  const json = jsonBody('256kb');
  for (const extra of deps.extra ?? []) router.use(extra);

  router.post('/api/broadcasts', ...json, async (req, res) => {
    const parsed = newBroadcast.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const { text, sourceLang, audience, scheduleAt } = parsed.data;
    const org = orgOf(res)!;
    const target: Audience = audience === 'all' ? { type: 'all' } : { type: 'tags', tags: audience.tags };
    const { broadcast, recipients } = await deps.broadcasts.create({
      orgId: org.id,
      text,
      sourceLang: sourceLang === 'auto' ? null : sourceLang,
      audience: target,
      origin: 'api',
      ...(scheduleAt ? { scheduledAt: new Date(scheduleAt) } : {}),
    });
    res.status(201).json({ id: broadcast.id, status: broadcast.status, scheduledAt: broadcast.scheduledAt, recipients, warnings: await audienceWarnings(store, org.id, target, recipients) });
  });

  router.get('/api/broadcasts', async (_req, res) => {
    const list = await store.broadcasts.list(orgOf(res)!.id, 100);
    res.json({ broadcasts: list.map(({ id, status, origin, scheduledAt, createdAt, text }) => ({ id, status, origin, scheduledAt, createdAt, text })) });
  });

  router.get('/api/broadcasts/:id', async (req, res) => {
    const org = orgOf(res)!;
    const broadcast = await store.broadcasts.get(org.id, req.params.id);
    if (!broadcast) return void res.status(404).json({ error: 'no such broadcast' });
    const [stats, translations] = await Promise.all([store.outbox.stats(broadcast.id), store.broadcasts.translations(broadcast.id)]);
    res.json({
      id: broadcast.id,
      status: broadcast.status,
      origin: broadcast.origin,
      scheduledAt: broadcast.scheduledAt,
      audience: broadcast.audience,
      stats,
      translations: Object.fromEntries(
        [...translations].map(([l, t]) => [l, t.kind === 'translated' ? { kind: t.kind, by: t.by } : { kind: t.kind, reason: t.reason }]),
      ),
    });
  });

  router.get('/api/contacts', async (req, res) => {
    const parsed = page.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const contacts = await store.contacts.list(orgOf(res)!.id, { limit: parsed.data.limit, ...(parsed.data.after ? { after: parsed.data.after } : {}) });
    res.json({ contacts: contacts.map(contactView), next: contacts.length === parsed.data.limit ? contacts.at(-1)?.id : null });
  });

  router.post('/api/contacts/:id/messages', ...json, async (req: Request<{ id: string }>, res) => {
    const parsed = answer.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const result = await deps.replies.answer(orgOf(res)!.id, req.params.id, parsed.data.text);
    if (!result) return void res.status(404).json({ error: 'no such contact' });
    // 202: the answer is in the outbox; it arrives when the channel (or the person's window) lets it.
    res.status(202).json({ delivery: result });
  });

  router.get('/api/inbox', async (req, res) => {
    const parsed = inboxQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const orgId = orgOf(res)!.id;
    const { limit, contactId } = parsed.data;
    // Another organisation's contact is "no such contact", as for every other route.
    if (contactId !== undefined && !(await store.contacts.get(orgId, contactId))) return void res.status(404).json({ error: 'no such contact' });
    const entries = await store.inbox.list(orgId, { limit, ...(contactId ? { contactId } : {}) });
    // Who wrote, and where: an inbox of bare ids cannot be read.
    const ids = [...new Set(entries.map((e) => e.contactId))];
    const contacts = new Map((await Promise.all(ids.map((id) => store.contacts.get(orgId, id)))).flatMap((c) => (c ? [[c.id, c] as const] : [])));
    res.json({ entries: entries.map((e) => ({ ...e, firstName: contacts.get(e.contactId)?.firstName ?? null, channel: contacts.get(e.contactId)?.channel ?? null })) });
  });

  router.put('/api/organisation/telegram', ...json, async (req, res) => {
    const parsed = telegramSettings.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    await store.organisations.update(orgOf(res)!.id, { staffChatId: parsed.data.staffChatId });
    res.json({ staffChatId: parsed.data.staffChatId });
  });

  router.post('/api/organisation/telegram/link-code', ...json, async (_req, res) => {
    const code = randomBytes(12).toString('base64url');
    await store.organisations.update(orgOf(res)!.id, { linkCode: code });
    res.status(201).json({ code, howTo: `Add the bot as an administrator of your Telegram channel, then post: link ${code}` });
  });

  router.put('/api/organisation/glossary', ...json, async (req, res) => {
    const parsed = glossary.safeParse(req.body);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const terms = Object.fromEntries(Object.entries(parsed.data.glossary).filter((e): e is [string, Record<string, string>] => e[1] !== undefined));
    await store.organisations.update(orgOf(res)!.id, { glossary: terms });
    res.json({ glossary: terms });
  });

  return router;
}
