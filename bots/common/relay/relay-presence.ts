import type { DialogRegistry } from '../../../core/dialog/dialog-definition.ts';
import { SESSION_SCHEMA, type Session } from '../../../core/dialog/session.ts';
import { addressKey, type Address } from '../../../core/messages.ts';
import type { ConversationStore } from '../../../core/ports/conversation-store.port.ts';

/** The dialog and step where a person reads a relay as it happens. */
export const TALK = { dialog: 'relay', step: 'talk' } as const;

/** What reading another person's conversation needs. */
export interface PresenceDeps {
  readonly conversations: ConversationStore;
  readonly dialogs: () => DialogRegistry;
  /** The global idle timeout (a dialog may have its own). */
  readonly idleTimeoutMs: number;
}

/**
 * Where a person's conversation stands, read from the store (their session is the truth, kept
 * by their own turns): whether they are reading a relay now, and whether a signal would move
 * their conversation or only be kept for the menu. Mirrors the engine's rules for signals.
 */
export class RelayPresence {
  constructor(private readonly deps: PresenceDeps) {}

  /** True when the person is at this relay's conversation right now (messages go to them as they come). */
  async talkingIn(address: Address, relayId: string, now: Date): Promise<boolean> {
    const session = await this.live(address, now);
    return session !== null && session.dialog === TALK.dialog && session.step === TALK.step && session.data['relayId'] === relayId;
  }

  /**
   * True when a signal of this name would be shown at once: the conversation waits at a step that
   * accepts it, or there is none yet (the menu opens with it). False when it would only be kept.
   */
  async accepts(address: Address, signal: string, now: Date): Promise<boolean> {
    const record = await this.deps.conversations.load(addressKey(address));
    const session = record?.value.session ?? null;
    if (!session) return true;
    const live = this.current(session, now);
    if (!live) return false;
    const step = this.deps.dialogs().get(live.dialog)?.steps[live.step];
    return step?.kind === 'ask' && step.on?.[signal] !== undefined;
  }

  private async live(address: Address, now: Date): Promise<Session | null> {
    const record = await this.deps.conversations.load(addressKey(address));
    const session = record?.value.session ?? null;
    return session ? this.current(session, now) : null;
  }

  /** The session when the engine would resume it (same shape, not idle); null otherwise. */
  private current(session: Session, now: Date): Session | null {
    const dialogs = this.deps.dialogs();
    if (session.schema !== SESSION_SCHEMA) return null;
    const frames = [...session.stack, session];
    if (!frames.every((f) => dialogs.get(f.dialog)?.version === f.dialogVersion)) return null;
    let idle = this.deps.idleTimeoutMs;
    for (const f of [...frames].reverse()) {
      const own = dialogs.get(f.dialog)?.idleTimeoutMs;
      if (own !== undefined) {
        idle = own;
        break;
      }
    }
    return now.getTime() - Date.parse(session.updatedAt) > idle ? null : session;
  }
}
