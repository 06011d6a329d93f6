/**
 * The channel-neutral vocabulary: what reaches the core from any channel and what the core
 * asks a channel to show. Channel quirks never appear here; adapters translate to and from it.
 */

/** Channels the product speaks on. */
export const CHANNELS = ['webchat', 'cli', 'telegram', 'whatsapp-web', 'whatsapp-cloud', 'messenger', 'sms'] as const;
/** One of {@link CHANNELS}. */
export type ChannelName = (typeof CHANNELS)[number];

/** Where a person is reached: a channel and the channel's own id for them (chat id, wa id, ...). */
export interface Address {
  readonly channel: ChannelName;
  /** Channel-scoped id; personal data (it may be a phone number), never logged. */
  readonly id: string;
}

/** Stable string key of an address, used to key conversations and locks. */
export function addressKey(address: Address): string {
  return `${address.channel}:${address.id}`;
}

/** What the person sent, already narrowed from the channel's own shape. */
export type InboundContent =
  | { readonly type: 'text'; readonly text: string }
  /** A tapped button or list row; `label` is what the channel showed, when it says. */
  | { readonly type: 'choice'; readonly choiceId: string; readonly label?: string }
  | { readonly type: 'location'; readonly latitude: number; readonly longitude: number }
  /** A deep link or first contact (`/start payload` on Telegram). */
  | { readonly type: 'start'; readonly payload?: string }
  /** Something the bot cannot read (a photo, a voice note, a sticker): it says so, kindly. */
  | { readonly type: 'unsupported' };

/** One message from a person, as every channel adapter hands it to the core. */
export interface InboundMessage {
  /** Unique within the channel; channels redeliver, so the pipeline dedupes on it. */
  readonly id: string;
  readonly from: Address;
  readonly content: InboundContent;
  readonly receivedAt: Date;
}

/** One option of a choice; `id` is stable and short (Telegram callback data is 64 bytes). */
export interface Choice {
  readonly id: string;
  readonly label: string;
  /** A short second line where the channel has one (WhatsApp list rows); optional everywhere. */
  readonly description?: string;
}

/** What the core asks a channel to show, already in the person's language. */
export type OutboundMessage =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'choices'; readonly text: string; readonly choices: readonly Choice[] }
  /** Ask for a location pin; `skip` is offered where a pin is impossible or unwanted. */
  | { readonly type: 'location-request'; readonly text: string; readonly skip?: Choice }
  /**
   * A place to go (an office, a distribution point), in WGS 84 degrees. `text` is its name,
   * shown with the pin where the channel can, else above a map link; it may be empty.
   */
  | { readonly type: 'location'; readonly text: string; readonly latitude: number; readonly longitude: number }
  /**
   * A pre-approved template (WhatsApp Cloud API), the one kind of message a platform lets through
   * outside its messaging window. `text` is what it says, for channels and logs that need words.
   */
  | { readonly type: 'template'; readonly text: string; readonly name: string; readonly language: string; readonly params: readonly string[] };

/** An outbound message together with the language it is written in (for direction and fonts). */
export interface Reply {
  readonly lang: string;
  readonly message: OutboundMessage;
  /** The channel's id of this message once sent (the web chat's history cursor), when the caller needs it. */
  readonly sentAs?: string;
}

/** A post in a broadcast channel the bot administers (Telegram `channel_post`). */
export interface ChannelPost {
  readonly id: string;
  readonly channel: ChannelName;
  /** The channel or group chat id the post was made in. */
  readonly chatId: string;
  readonly text: string;
  readonly postedAt: Date;
}
