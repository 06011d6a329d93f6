import { Router } from 'express';
import { z } from 'zod';
import type { RelayService } from '../../bots/common/relay/relay.service.ts';
import { EXCHANGE_SUBJECT } from '../../bots/exchange/exchange.events.ts';
import type { ExchangePost } from '../../core/ports/exchange.port.ts';
import type { OutcomeCounts } from '../../core/ports/relays.port.ts';
import type { Store } from '../../core/ports/store.port.ts';
import { orgOf, requireOrg } from './org-auth.ts';
import { sendValidationError } from './validation-error.ts';

const listQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(100) });
const postId = z.string().min(1).max(64);

/** Sums outcome counts. */
function add(a: OutcomeCounts, b: OutcomeCounts): OutcomeCounts {
  return { yes: a.yes + b.yes, no: a.no + b.no, notYet: a.notYet + b.notYet };
}

/**
 * The exchange as an organisation sees it: the posts of its people with how their conversations
 * turned out ("Did you agree on something?"), the same counts per category, and hiding a post.
 * Scoped by the API key: another organisation's post is a 404. Never a place or an address.
 */
export function exchangeAdminRouter(deps: { readonly store: Store; readonly relays: RelayService }): Router {
  const { store, relays } = deps;
  const router = Router();
  router.use('/api/exchange', requireOrg(store));

  const view = async (post: ExchangePost) => {
    const poster = await store.people.get(post.personId);
    return {
      id: post.id,
      kind: post.kind,
      category: post.category,
      description: post.description,
      inReturn: post.inReturn,
      gift: post.gift,
      status: post.status,
      createdAt: post.createdAt,
      expiresAt: post.expiresAt,
      poster: { id: post.personId, firstName: poster?.firstName ?? null },
      outcomes: await relays.outcomes(EXCHANGE_SUBJECT, post.id),
    };
  };

  router.get('/api/exchange/posts', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const posts = await store.exchange.listForOrganisation(orgOf(res)!.id, { limit: parsed.data.limit });
    res.json({ posts: await Promise.all(posts.map(view)) });
  });

  router.get('/api/exchange/outcomes', async (req, res) => {
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) return sendValidationError(res, parsed.error);
    const posts = await store.exchange.listForOrganisation(orgOf(res)!.id, { limit: parsed.data.limit });
    const byCategory = new Map<string, OutcomeCounts & { posts: number }>();
    for (const post of posts) {
      const counts = await relays.outcomes(EXCHANGE_SUBJECT, post.id);
      const sum = byCategory.get(post.category) ?? { posts: 0, yes: 0, no: 0, notYet: 0 };
      byCategory.set(post.category, { ...add(sum, counts), posts: sum.posts + 1 });
    }
    res.json({ categories: Object.fromEntries([...byCategory].sort(([a], [b]) => a.localeCompare(b))) });
  });

  router.post('/api/exchange/posts/:id/hide', async (req, res) => {
    const id = postId.safeParse(req.params.id);
    const post = id.success ? await store.exchange.getForOrganisation(orgOf(res)!.id, id.data) : null;
    if (!post) return void res.status(404).json({ error: 'not found' });
    const hidden = await store.exchange.update(post.id, { status: 'hidden' });
    res.json({ id: post.id, status: hidden?.status ?? 'hidden' });
  });

  return router;
}
