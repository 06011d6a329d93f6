import { expect, it } from 'vitest';
import type { BroadcastService } from '../../bots/broadcast/broadcast.service.ts';
import { broadcastEffects } from '../../bots/broadcast/broadcast.effects.ts';
import type { ReplyDesk } from '../../bots/broadcast/replies.ts';
import { DIALOGS } from '../../bots/bots.ts';
import { freeTextEffects } from '../../bots/common/free-text-router.ts';
import { onboardingEffects } from '../../bots/onboarding/onboarding.effects.ts';
import { gazetteer } from '../../bots/common/places/gazetteer.ts';
import { placeEffects } from '../../bots/common/places/places.effects.ts';
import { exchangeEffects } from '../../bots/exchange/exchange.effects.ts';
import { channelsEffects } from '../../bots/channels/channels.effects.ts';
import { noBlocks } from '../../core/ports/exchange.port.ts';
import type { TranslationService } from '../../core/translation/translation-service.ts';
import { dialogRegistry } from '../../core/dialog/dialog-definition.ts';
import { engineEffects } from '../../core/pipeline/engine-effects.ts';
import type { JobBoard } from '../../bots/jobs/job-board.ts';
import { jobsEffects } from '../../bots/jobs/jobs.effects.ts';
import type { JobPlaces } from '../../bots/jobs/job-places.ts';
import { relayEffects } from '../../bots/common/relay/relay.effects.ts';
import type { RelayService } from '../../bots/common/relay/relay.service.ts';

// The handlers are only listed here, never run: their dependencies are not needed.
const handlers = [
  ...engineEffects.keys(),
  ...onboardingEffects.keys(),
  ...broadcastEffects({ broadcasts: {} as BroadcastService, replies: {} as ReplyDesk, receivesNews: () => true }).keys(),
  ...freeTextEffects([], { text: () => '', defaultLang: 'en' }).keys(),
  ...jobsEffects({ board: {} as JobBoard, places: {} as JobPlaces }).keys(),
  ...relayEffects({ kit: {} } as RelayService).keys(),
  ...placeEffects({ gazetteer, defaultLang: 'en' }).keys(),
  ...exchangeEffects({ translation: {} as TranslationService, text: () => '', blocks: noBlocks, maxOpenPosts: 5, defaultLang: 'en' }).keys(),
  ...channelsEffects({ text: () => '' }).keys(),
];

it("every event the product's dialogs emit has a handler", () => {
  expect(() => dialogRegistry(DIALOGS, { events: new Set(handlers) })).not.toThrow();
});

it('the product would refuse to start with a handler missing', () => {
  const withoutFreeText = handlers.filter((h) => h !== 'common.free-text');
  expect(() => dialogRegistry(DIALOGS, { events: new Set(withoutFreeText) })).toThrow('dialog menu: step free emits common.free-text, which has no handler');
});
