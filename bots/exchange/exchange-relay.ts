import type { Store } from '../../core/ports/store.port.ts';
import type { RelaySubjectKind } from '../common/relay/relay-subjects.ts';
import { categoryKey } from './categories.ts';
import { EXCHANGE_SUBJECT } from './exchange.events.ts';
import type { Text } from './post-view.ts';

/**
 * The exchange's post as the relay's subject: its header ("🔧 Plumbing") and the request the
 * poster reads ("Léa, about 3 km away, would like to answer your offer 🔧 Plumbing"), and
 * hiding a reported post.
 */
export function exchangeRelaySubject(deps: { readonly store: Store; readonly text: Text }): RelaySubjectKind {
  const { store, text } = deps;
  return {
    kind: EXCHANGE_SUBJECT,
    async header(postId, lang) {
      const post = await store.exchange.get(postId);
      return post ? text(lang, categoryKey(post.category)) : null;
    },
    async requestText(relay, lang, name, header) {
      const post = await store.exchange.get(relay.subject.id);
      if (!post) return null;
      const km = typeof relay.context?.['km'] === 'number' ? relay.context['km'] : 0;
      const distance = km >= 1 ? text(lang, 'common:places.aboutKm', { km }) : text(lang, 'common:places.lessThanOneKm');
      return text(lang, post.kind === 'offer' ? 'exchange:wouldAnswerOffer' : 'exchange:wouldAnswerNeed', { name, distance, subject: header });
    },
    async hide(postId) {
      return (await store.exchange.update(postId, { status: 'hidden' })) !== null;
    },
  };
}
