import { z } from 'zod';
import type { DialogDef } from '../../core/dialog/dialog-definition.ts';

/** Events of the broadcast flow, performed by broadcast.effects.ts. */
export const BROADCAST_EVENTS = {
  join: 'org.join',
  canCompose: 'broadcast.can-compose',
  preview: 'broadcast.preview',
  create: 'broadcast.create',
} as const;

/** An organisation code as people type it ("JOIN secours", `/start secours`). */
export const orgCodeSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{1,31}$/);

/**
 * Joins an organisation by its code, from a deep link or typed, then opens the menu (a `goto`,
 * not an `end`: after onboarding there is no caller, and the person was created this very turn).
 */
export const joinDialog: DialogDef = {
  id: 'join',
  version: 1,
  start: 'route',
  steps: {
    route: { kind: 'route', next: { switch: 'startPayload', cases: { '': 'ask' }, default: 'join' } },
    ask: {
      kind: 'ask',
      prompt: { key: 'broadcast:joinAsk' },
      input: { type: 'text', schema: orgCodeSchema, invalid: 'broadcast:unknownCode' },
      save: 'startPayload',
      next: 'join',
    },
    join: { kind: 'task', event: BROADCAST_EVENTS.join, save: 'free', next: { switch: 'free.kind', cases: { joined: 'joined', 'no-news': 'noNews' }, default: 'unknown' } },
    joined: { kind: 'say', text: { key: 'broadcast:joined' }, next: 'done' },
    noNews: { kind: 'say', text: { key: 'broadcast:joinNoNews' }, next: 'done' },
    unknown: { kind: 'say', text: { key: 'broadcast:unknownCode' }, next: 'done' },
    done: { kind: 'goto', dialog: 'menu', args: ['role'] },
  },
};

/** Approved NGO staff write a broadcast in chat, see it in two languages, and confirm. */
export const composeDialog: DialogDef = {
  id: 'compose',
  version: 1,
  start: 'check',
  steps: {
    check: { kind: 'task', event: BROADCAST_EVENTS.canCompose, save: 'staff', next: { switch: 'staff.ok', cases: { true: 'text' }, default: 'notApproved' } },
    notApproved: { kind: 'say', text: { key: 'broadcast:notApproved' }, next: 'done' },
    text: {
      kind: 'ask',
      prompt: { key: 'broadcast:composeAsk' },
      input: { type: 'text', schema: z.string().trim().min(1).max(2000), invalid: 'broadcast:badText' },
      save: 'text',
      next: 'lang1',
    },
    lang1: { kind: 'ask', prompt: { key: 'broadcast:pickPreview1' }, input: { type: 'language', conversation: false }, save: 'lang1', next: 'lang2' },
    lang2: { kind: 'ask', prompt: { key: 'broadcast:pickPreview2' }, input: { type: 'language', conversation: false }, save: 'lang2', next: 'preview' },
    preview: { kind: 'task', event: BROADCAST_EVENTS.preview, save: 'preview', next: 'show' },
    show: { kind: 'say', text: { key: 'broadcast:preview' }, next: 'confirm' },
    confirm: {
      kind: 'ask',
      prompt: { key: 'broadcast:confirm' },
      input: {
        type: 'choice',
        choices: [
          { id: 'send', label: 'broadcast:send', means: 'yes' },
          { id: 'cancel', label: 'broadcast:cancel', means: 'no' },
        ],
      },
      save: 'decision',
      next: { switch: 'decision', cases: { send: 'create' }, default: 'cancelled' },
    },
    create: { kind: 'task', event: BROADCAST_EVENTS.create, save: 'created', next: 'queued' },
    queued: { kind: 'say', text: { key: 'broadcast:queued' }, next: 'done' },
    cancelled: { kind: 'say', text: { key: 'broadcast:cancelled' }, next: 'done' },
    done: { kind: 'end' },
  },
};
