/** Tasks and events of the exchange's dialogs (handled in exchange.effects.ts). */
export const EXCHANGE_EVENTS = {
  /** `{ok, max}`: whether the person may open another post. */
  canPost: 'exchange.can-post',
  /** Reads `descriptionRaw`: `{kind: 'ok', text}`, `{kind: 'emojiOnly'}` or `{kind: 'tooLong'}`. */
  checkDescription: 'exchange.check-description',
  /** Reads `inReturnRaw`: like checkDescription. */
  checkInReturn: 'exchange.check-in-return',
  /** `{text}`: the post as it will show, for confirmation. */
  preview: 'exchange.preview',
  /** Stores the post: `{ok: true, expires}`, or `{ok: false}` when the limit was reached meanwhile. */
  publish: 'exchange.publish',
  /** One page of results: `{count, text, next}`. */
  search: 'exchange.search',
  /** "I'm interested" in a result (`next` is its post id): what the relay request needs, or `{kind: 'gone'}`. */
  interest: 'exchange.interest',
  /** The person's posts: `{count, text, options}`. */
  mine: 'exchange.mine',
  /** `{post, text}` of the post picked in "My posts". */
  renew: 'exchange.renew',
  close: 'exchange.close',
  edit: 'exchange.edit',
} as const;

/** The relay's subject kind for a contact about a post. */
export const EXCHANGE_SUBJECT = 'exchange-post';
