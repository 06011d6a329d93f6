/** One message between an organisation and a contact, in both languages. */
export interface InboxEntry {
  readonly id: string;
  readonly orgId: string;
  readonly contactId: string;
  readonly direction: 'in' | 'out';
  readonly broadcastId: string | null;
  /** As written, in `lang`. */
  readonly text: string;
  readonly lang: string | null;
  /** As read by the other side, in `translatedLang` (null when no translation was needed or possible). */
  readonly translatedText: string | null;
  readonly translatedLang: string | null;
  readonly at: string;
}

/** An organisation's conversation log with its contacts (replies to broadcasts, answers). */
export interface InboxStore {
  add(entry: InboxEntry): Promise<void>;
  list(orgId: string, options: { readonly limit: number; readonly contactId?: string }): Promise<InboxEntry[]>;
}
