import { z } from 'zod';
import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Json, JsonObject } from '../../core/dialog/json.ts';
import type { EffectContext, EffectHandler, TaskLookup } from '../../core/pipeline/effects.ts';
import { defineEvent, typedHandler } from '../../core/pipeline/typed-effects.ts';

/**
 * Free text at the menu (and a stranger's first words) may be meant for several flows: a reply
 * to a broadcast, a relayed conversation, an application, a JOIN code. The menu and onboarding
 * hand it to this router and never import a flow's own events; each flow registers a route.
 */
export const FREE_TEXT_EVENTS = {
  /** Menu free text: delivered where it clearly belongs, or answered with the options to ask "Who is this for?". */
  route: defineEvent('common.free-text', z.object({ freeText: z.string().max(4000) })),
  /** The option the person picked in "Who is this for?". */
  deliver: defineEvent('common.free-text-to', z.object({ freeText: z.string().max(4000), target: z.string().max(64) })),
  /** A stranger's first message (before onboarding): only routes open to strangers. */
  first: defineEvent('common.first-text', z.object({ firstText: z.string().max(4000) })),
} as const;

/** A route's answer to "may this text be for you?". */
export interface FreeTextClaim {
  /** Unmistakable (a JOIN code): taken without asking. */
  readonly explicit: boolean;
  /** i18n key (and params) of this route's option in "Who is this for?". */
  readonly label: string;
  readonly params?: Readonly<Record<string, string>>;
}

/** What delivering did: `kind` for the dialog's switch, `notice` the i18n key it says (data params under `free`). */
export type FreeTextOutcome = JsonObject & { readonly kind: string };

/** One destination of free text, contributed by a flow. */
export interface FreeTextRoute {
  /** Stable and short: it is a choice id. */
  readonly id: string;
  /** Whether strangers' first words may go here (before they signed up). */
  readonly forStrangers: boolean;
  /** Null when the text cannot be for this route now (no recent broadcast, no open relay). */
  claim(text: string, context: EffectContext): Promise<FreeTextClaim | null>;
  deliver(text: string, context: EffectContext): Promise<FreeTextOutcome>;
}

/** What the router renders the "Who is this for?" options with. */
export interface FreeTextRouterDeps {
  readonly text: TextRenderer;
  readonly defaultLang: string;
}

const NONE: FreeTextOutcome = { kind: 'none' };

async function claims(routes: readonly FreeTextRoute[], text: string, context: EffectContext) {
  const found: { route: FreeTextRoute; claim: FreeTextClaim }[] = [];
  for (const route of routes) {
    const claim = await route.claim(text, context);
    if (claim) found.push({ route, claim });
  }
  return found;
}

/**
 * A stranger's first words, answered without an effect when no route open to strangers claims
 * them (the claims only read): by far the common case, a new person saying hello.
 */
export function freeTextLookups(routes: readonly FreeTextRoute[]): ReadonlyMap<string, TaskLookup> {
  const lookup: TaskLookup = async (event, context) => {
    const parsed = FREE_TEXT_EVENTS.first.payload.safeParse(event.payload);
    if (!parsed.success) return undefined;
    const found = await claims(
      routes.filter((r) => r.forStrangers),
      parsed.data.firstText,
      context,
    );
    return found.length === 0 ? NONE : undefined;
  };
  return new Map([[FREE_TEXT_EVENTS.first.name, lookup]]);
}

/** The router's effect handlers, over the routes the flows contribute. */
export function freeTextEffects(routes: readonly FreeTextRoute[], deps: FreeTextRouterDeps): ReadonlyMap<string, EffectHandler> {
  const ids = new Set(routes.map((r) => r.id));
  if (ids.size !== routes.length) throw new Error('two free-text routes share an id');
  return new Map([
    typedHandler(FREE_TEXT_EVENTS.route, async ({ freeText }, context): Promise<Json> => {
      const found = await claims(routes, freeText, context);
      const sure = found.find((f) => f.claim.explicit) ?? (found.length === 1 ? found[0] : undefined);
      if (sure) return sure.route.deliver(freeText, context);
      if (found.length === 0) return NONE;
      const lang = context.person?.lang ?? deps.defaultLang;
      return { kind: 'ambiguous', options: found.map(({ route, claim }) => ({ id: route.id, label: deps.text(lang, claim.label, claim.params) })) };
    }),
    typedHandler(FREE_TEXT_EVENTS.deliver, async ({ freeText, target }, context): Promise<Json> => {
      const route = routes.find((r) => r.id === target);
      // Re-checked: the options were offered a moment ago, and things may have changed since.
      if (!route || !(await route.claim(freeText, context))) return NONE;
      return route.deliver(freeText, context);
    }),
    typedHandler(FREE_TEXT_EVENTS.first, async ({ firstText }, context): Promise<Json> => {
      const found = await claims(
        routes.filter((r) => r.forStrangers),
        firstText,
        context,
      );
      // Nobody to ask yet (the language is not even known): the first route that claims it takes it.
      const taken = found.find((f) => f.claim.explicit) ?? found[0];
      return taken ? taken.route.deliver(firstText, context) : NONE;
    }),
  ]);
}
