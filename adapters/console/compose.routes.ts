import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { BroadcastService } from '../../bots/broadcast/broadcast.service.ts';
import { LANGUAGE_CODES } from '../../core/i18n/languages.ts';
import { CHANNELS, type ChannelName } from '../../core/messages.ts';
import type { Audience } from '../../core/ports/contacts.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { cleanFreeText, TAG_PATTERN } from '../../core/text/people-text.ts';
import { sha256, type ConsoleAccounts } from './console-accounts.ts';
import { sendPage, signedIn, type SignedIn } from './console-http.ts';
import { csrfField, layout } from './console-layout.ts';
import { reach } from './console-queries.ts';
import { html, type SafeHtml } from './html.ts';

/** What one message costs per channel (MESSAGE_COSTS), for the estimate before sending. */
export type MessageCosts = { readonly currency: string } & Readonly<Record<string, number | string>>;

const list = <T extends z.ZodType>(item: T) => z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item).max(20));
const lang = z.enum(LANGUAGE_CODES as [string, ...string[]]);
const audienceFields = {
  tags: z
    .string()
    .max(1000)
    .default('')
    .transform((s) => s.split(',').map((t) => t.trim()).filter(Boolean))
    .pipe(z.array(z.string().max(40).regex(TAG_PATTERN, 'must start with a letter or digit')).max(20)),
  langs: list(lang),
  channels: list(z.enum(CHANNELS)),
};
const draftForm = z.object({
  /** Made by the review page: sending the same review twice (a double click, a reload) makes one broadcast. */
  draftId: z.uuid().optional(),
  text: z.string().transform(cleanFreeText).pipe(z.string().trim().min(1).max(4000)),
  sourceLang: z.union([lang, z.literal('auto')]).default('auto'),
  scheduleAt: z
    .string()
    .trim()
    .default('')
    .refine((s) => s === '' || !Number.isNaN(Date.parse(`${s}Z`)), 'must be a date and time'),
  ...audienceFields,
});
type Draft = z.output<typeof draftForm>;

/** The audience a form describes. */
export function audienceOf(f: { tags: string[]; langs: string[]; channels: ChannelName[] }): Audience {
  const filters = { ...(f.langs.length ? { langs: f.langs } : {}), ...(f.channels.length ? { channels: f.channels } : {}) };
  return f.tags.length ? { type: 'tags', tags: f.tags, ...filters } : { type: 'all', ...filters };
}

function checkboxes(name: string, values: readonly string[], checked: readonly string[]): SafeHtml {
  return html`${values.map((v) => html`<label class="check"><input type="checkbox" name="${name}" value="${v}"${checked.includes(v) ? html` checked` : ''}> ${v}</label>`)}`;
}

/** The draft's fields, carried from the compose form to the review and on to the send. */
function hiddenDraft(d: Draft): SafeHtml {
  return html`<input type="hidden" name="text" value="${d.text}"><input type="hidden" name="sourceLang" value="${d.sourceLang}">
<input type="hidden" name="scheduleAt" value="${d.scheduleAt}"><input type="hidden" name="tags" value="${d.tags.join(', ')}">
${d.langs.map((l) => html`<input type="hidden" name="langs" value="${l}">`)}${d.channels.map((c) => html`<input type="hidden" name="channels" value="${c}">`)}`;
}

/**
 * Compose a broadcast: the text, the audience with its live count, a schedule; then a review of
 * every target language (machine translation, editable, read back into the reviewer's language),
 * the number of messages and their cost; then send. The edited texts are what goes out.
 */
export function composeRouter(deps: { store: Store; broadcasts: BroadcastService; accounts: ConsoleAccounts; costs: MessageCosts | undefined }): Router {
  const { store } = deps;
  const router = Router();

  const composePage = async (ctx: SignedIn, d?: Partial<Draft>, error?: string): Promise<SafeHtml> => {
    const { t } = ctx;
    const people = await reach(store, ctx.org.id);
    const count = await store.contacts.countAudience(ctx.org.id, audienceOf({ tags: d?.tags ?? [], langs: d?.langs ?? [], channels: d?.channels ?? [] }));
    return layout(
      ctx,
      t('compose.title'),
      html`${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/console/compose/review" class="stack" id="compose" data-count="/console/compose/count">${csrfField(ctx)}
<label for="text">${t('compose.text')}</label>
<textarea id="text" name="text" rows="6" required dir="auto" aria-describedby="text-help">${d?.text ?? ''}</textarea>
<p id="text-help" class="muted">${t('compose.textHelp', { placeholder: '{{firstName}}' })}</p>
<label for="sourceLang">${t('compose.sourceLang')}</label>
<select id="sourceLang" name="sourceLang"><option value="auto">auto</option>${LANGUAGE_CODES.map((l) => html`<option value="${l}"${l === (d?.sourceLang ?? ctx.org.lang) ? html` selected` : ''}>${l}</option>`)}</select>
<fieldset><legend>${t('compose.audience')}</legend>
<label for="tags">${t('compose.tags')}</label><input id="tags" name="tags" value="${(d?.tags ?? []).join(', ')}">
<fieldset><legend>${t('compose.langs')}</legend>${checkboxes('langs', people.byLang.map(([l]) => l), d?.langs ?? [])}</fieldset>
<fieldset><legend>${t('compose.channels')}</legend>${checkboxes('channels', people.byChannel.map(([c]) => c), d?.channels ?? [])}</fieldset>
<p id="count" aria-live="polite">${t('compose.count', { count })}</p>
</fieldset>
<label for="scheduleAt">${t('compose.schedule')} (UTC)</label><input id="scheduleAt" name="scheduleAt" type="datetime-local" value="${d?.scheduleAt ?? ''}">
<button type="submit">${t('compose.review')}</button>
</form>`,
      'compose',
    );
  };

  router.get('/console/compose', async (_req, res) => {
    sendPage(res, await composePage(signedIn(res)));
  });

  router.get('/console/compose/count', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = z.object(audienceFields).safeParse(req.query);
    if (!parsed.success) return void res.status(400).json({ error: 'invalid audience' });
    const count = await store.contacts.countAudience(ctx.org.id, audienceOf(parsed.data));
    res.json({ count, label: ctx.t('compose.count', { count }) });
  });

  router.post('/console/compose/review', async (req, res) => {
    const ctx = signedIn(res);
    const { t } = ctx;
    const parsed = draftForm.safeParse(req.body);
    if (!parsed.success) return sendPage(res, await composePage(ctx, undefined, t('errors.invalid', { fields: parsed.error.issues.map((i) => i.path.join('.')).join(', ') })), 400);
    const d = parsed.data;
    const audience = audienceOf(d);
    const perChannel: [string, number][] = [];
    for (const channel of d.channels.length ? d.channels : CHANNELS) {
      const n = await store.contacts.countAudience(ctx.org.id, { ...audience, channels: [channel] });
      if (n > 0) perChannel.push([channel, n]);
    }
    const total = perChannel.reduce((a, [, n]) => a + n, 0);
    if (total === 0) return sendPage(res, await composePage(ctx, d, t('compose.nobody')), 400);
    const drafts = await deps.broadcasts.draft(ctx.org, d.text, audience, ctx.lang);
    const costs = deps.costs;
    const billed = perChannel.filter(([c]) => typeof costs?.[c] === 'number');
    const amount = billed.reduce((a, [c, n]) => a + n * (costs![c] as number), 0);
    const body = html`<form method="post" action="/console/broadcasts" class="stack" id="review">${csrfField(ctx)}${hiddenDraft(d)}<input type="hidden" name="draftId" value="${randomUUID()}">
<section aria-labelledby="orig"><h2 id="orig">${t('compose.original')}</h2><blockquote class="message" dir="auto">${d.text}</blockquote></section>
${drafts.map(
  (l) => html`<section class="review" aria-labelledby="l-${l.lang}"><h2 id="l-${l.lang}">${l.lang} · ${t('compose.recipients', { count: l.recipients })}</h2>
<div class="side">
<div><h3>${t('compose.original')}</h3><p class="message" dir="auto">${d.text}</p></div>
<div><label for="t-${l.lang}"><strong>${t('compose.machine')}</strong></label>
<textarea id="t-${l.lang}" name="t_${l.lang}" rows="5" lang="${l.lang}" dir="auto">${l.text}</textarea>
${l.untranslated ? html`<p class="muted">${t('compose.untranslated', { reason: l.untranslated })}</p>` : ''}</div>
<div><h3>${t('compose.back')}</h3>${l.back ? html`<p class="message" lang="${ctx.lang}" dir="auto" data-back="${l.lang}">${l.back}</p>` : html`<p class="muted">${t('compose.noBack')}</p>`}</div>
</div></section>`,
)}
<section aria-labelledby="sum"><h2 id="sum">${t('compose.messages', { count: total })}</h2>
<table><caption>${t('compose.perChannel')}</caption><tbody>${perChannel.map(([c, n]) => html`<tr><th scope="row">${c}</th><td>${n}</td></tr>`)}</tbody></table>
<p id="cost">${billed.length && costs ? t('compose.cost', { amount: amount.toFixed(2), currency: costs.currency }) : t('compose.costFree')}</p>
${d.scheduleAt ? html`<p>${t('compose.scheduleAt', { at: d.scheduleAt.replace('T', ' ') })} UTC</p>` : ''}
<button type="submit">${t('compose.send')}</button></section>
</form>
<details><summary>${t('compose.glossary')}</summary>
<form method="post" action="/console/settings/glossary/term" class="stack" data-inline="1">${csrfField(ctx)}
<label for="g-lang">${t('contacts.language')}</label><select id="g-lang" name="lang">${drafts.map((l) => html`<option value="${l.lang}">${l.lang}</option>`)}</select>
<label for="g-term">${t('compose.term')}</label><input id="g-term" name="term" required maxlength="100">
<label for="g-tr">${t('compose.termTranslation')}</label><input id="g-tr" name="translation" required maxlength="100" dir="auto">
<button type="submit" class="secondary">${t('compose.addTerm')}</button><p class="inline-result" aria-live="polite"></p>
</form></details>`;
    sendPage(res, layout(ctx, t('compose.reviewTitle'), body, 'compose'));
  });

  router.post('/console/broadcasts', async (req, res) => {
    const ctx = signedIn(res);
    const parsed = draftForm.safeParse(req.body);
    if (!parsed.success) return sendPage(res, await composePage(ctx, undefined, ctx.t('errors.invalid', { fields: parsed.error.issues.map((i) => i.path.join('.')).join(', ') })), 400);
    const d = parsed.data;
    const body = req.body as Record<string, unknown>;
    const reviewed = new Map<string, string>();
    for (const l of LANGUAGE_CODES) {
      const text = body[`t_${l}`];
      if (typeof text === 'string' && cleanFreeText(text).trim()) reviewed.set(l, cleanFreeText(text).trim().slice(0, 4000));
    }
    const { broadcast, recipients, created } = await deps.broadcasts.create({
      // Scoped by organisation: another organisation's draft id can never name this broadcast.
      id: `b-${sha256(`${ctx.org.id}:${d.draftId ?? randomUUID()}`).slice(0, 32)}`,
      orgId: ctx.org.id,
      text: d.text,
      sourceLang: d.sourceLang === 'auto' ? null : d.sourceLang,
      audience: audienceOf(d),
      origin: 'console',
      reviewed,
      ...(d.scheduleAt ? { scheduledAt: new Date(`${d.scheduleAt}Z`) } : {}),
    });
    if (created) await deps.accounts.record(ctx.org.id, ctx.user.id, 'broadcast.sent', broadcast.id, `${recipients} recipients; reviewed: ${[...reviewed.keys()].join(' ')}`);
    res.redirect(303, `/console/broadcasts/${broadcast.id}`);
  });
  return router;
}
