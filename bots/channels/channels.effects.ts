import { z } from 'zod';
import type { TextRenderer } from '../../core/dialog/engine-env.ts';
import type { Json } from '../../core/dialog/json.ts';
import { CHANNELS, type ChannelName } from '../../core/messages.ts';
import type { EffectContext, EffectHandler } from '../../core/pipeline/effects.ts';
import { CHANNELS_EVENTS } from './channels.dialog.ts';

const preferPayload = z.object({ channel: z.enum(CHANNELS) });

/** The person's channels, each once, in the order they were added (ids never leave here). */
function knownChannels(context: EffectContext): ChannelName[] {
  return [...new Set((context.person?.identities ?? []).map((identity) => identity.channel))];
}

/** Effects of the "My channels" dialog. */
export function channelsEffects(deps: { readonly text: TextRenderer }): ReadonlyMap<string, EffectHandler> {
  const label = (lang: string, channel: ChannelName) => deps.text(lang, `channels:name.${channel}`);
  return new Map<string, EffectHandler>([
    [
      CHANNELS_EVENTS.known,
      async (_event, context): Promise<Json> => {
        const lang = context.person?.lang ?? 'en';
        const channels = knownChannels(context);
        const options = channels.map((channel) => ({ id: channel, label: label(lang, channel) }));
        return { many: channels.length > 1 ? 'yes' : 'no', only: options[0]?.label ?? '', options };
      },
    ],
    [
      CHANNELS_EVENTS.prefer,
      async (event, context): Promise<Json> => {
        const { channel } = preferPayload.parse(event.payload);
        const person = context.person;
        if (!person) throw new Error('a channel order asked for by someone unknown');
        // The picked channel first, the others after it in the order they had.
        const before = await context.store.people.channelOrder(person.id);
        const rest = [...before, ...knownChannels(context)].filter((c, i, all) => c !== channel && all.indexOf(c) === i);
        await context.store.people.setChannelOrder(person.id, [channel, ...rest], context.clock.now());
        context.logger.info({ person: person.id, channel }, 'a person chose the channel to be reached on first');
        return { label: label(person.lang, channel) };
      },
    ],
  ]);
}
