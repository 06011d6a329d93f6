import type { OutcomeAnswer, Relay } from '../../../core/ports/relays.port.ts';

/**
 * What a flow tells the relay about the things it opens relays for (an exchange post, a job
 * application): how they read in a reader's language, and what to do when one turns out.
 */
export interface RelaySubjectKind {
  /** 'exchange-post', 'job-application': the `subjectKind` of the flow's requests. */
  readonly kind: string;
  /** The subject's header in the reader's language ("🔧 Plumbing", "Cook at Bistro Lumière"); null when it is gone. */
  header(subjectId: string, lang: string): Promise<string | null>;
  /**
   * The request as the receiver reads it, in their language ("Léa, about 3 km away, would like to
   * answer your offer 🔧 Plumbing"); the relay's own generic sentence when absent or null.
   */
  requestText?(relay: Relay, lang: string, requesterName: string, header: string): Promise<string | null>;
  /** Told of each answer to "Did you agree on something?" (after it was counted). */
  onOutcome?(relay: Relay, personId: string, answer: OutcomeAnswer): Promise<void>;
  /** Hides the subject after a report (the moderation API's "hide"); false when it cannot be hidden. */
  hide?(subjectId: string): Promise<boolean>;
}

/** The subject kinds the flows registered, by kind. */
export class RelaySubjects {
  private readonly kinds = new Map<string, RelaySubjectKind>();

  /** Registers a kind; a second registration of one kind is a wiring bug. */
  register(kind: RelaySubjectKind): void {
    if (this.kinds.has(kind.kind)) throw new Error(`relay subject kind ${kind.kind} registered twice`);
    this.kinds.set(kind.kind, kind);
  }

  get(kind: string): RelaySubjectKind | undefined {
    return this.kinds.get(kind);
  }

  has(kind: string): boolean {
    return this.kinds.has(kind);
  }
}
