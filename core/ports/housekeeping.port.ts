/** Store-side clean-up of data nobody will come back for. */
export interface HousekeepingStore {
  /**
   * Deletes up to `limit` conversations of strangers who never got past the language picker
   * (no language chosen, no person at that address) and have been idle since before `before`,
   * with their reach records. Returns how many were deleted. Why: anyone can open web-chat
   * conversations by the thousand, and such a row holds nothing a person would miss.
   */
  pruneStrangers(before: Date, limit: number): Promise<number>;
}
