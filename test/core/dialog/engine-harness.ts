import { commandMatcher } from '../../../core/dialog/commands.ts';
import { dialogRegistry, type DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { runTurn, type TurnResult } from '../../../core/dialog/engine.ts';
import type { EngineEnv, EngineInput } from '../../../core/dialog/engine-env.ts';
import type { JsonObject } from '../../../core/dialog/json.ts';
import type { Session } from '../../../core/dialog/session.ts';
import { createTextRenderer } from '../../../core/i18n/text-renderer.ts';

// The engine alone, with real i18next rendering (nested params, plurals) over small test strings.
const resources = {
  en: {
    common: {
      pickLanguage: 'Language?',
      pickLanguageFirst: 'Language? / Langue ?',
      help: 'HELP TEXT',
      offerHelp: 'Having trouble? Type HELP.',
      pickOne: 'Pick one.',
      empty: 'Empty.',
      tooLong: 'Too long.',
      stopped: 'Unsubscribed.',
      menuAfterOnboarding: 'Finish first.',
      idleRestart: 'Welcome back.',
      restarted: 'Updated, starting again.',
      error: 'Sorry, something went wrong.',
      unsupported: 'Text only.',
      listChanged: 'This list has changed.',
      relayHint: 'Type: {{words}}',
      relayTextOnly: 'Text only for now.',
      relayEnd: 'End',
      relayBlock: 'Block',
      relayReport: 'Report',
      relayMenu: 'Menu',
      relayWords: { end: 'end', block: 'block', report: 'report', menu: 'menu' },
      yes: 'Yes',
      no: 'No',
    },
    t: {
      home: 'Home',
      jobs: 'Jobs:',
      more: 'More',
      back: 'Back',
      lastPage: 'That is the last page.',
      chosen: 'You picked {{pick}}.',
      skills: 'Your skills?',
      done: 'Done',
      cook: 'Cooking',
      drive: 'Driving',
      build: 'Building',
      teach: 'Teaching',
      skillsSaved: 'Skills: {{skills}}.',
      title: 'Diploma?',
      year: 'Year?',
      badYear: 'A year please.',
      another: 'Add another?',
      addAnother: 'Add another',
      diplomas: 'Diplomas: {{diplomas.0.title}}, {{diplomas.1.title}}, {{diplomas.2.title}}.',
      chat: 'You are talking with {{peer}}.',
      incoming: '{{peer}}: {{signal.payload.text}}',
      ended: 'Conversation ended.',
      expired: 'Closed after a long silence.',
      news_one: 'You have {{count}} new message.',
      news_other: 'You have {{count}} new messages.',
      question: 'Question?',
      stillThere: 'Still there?',
      name: 'Name?',
      age: 'Age?',
      searchFailed: 'The search failed.',
      sure: 'Sure?',
      agreed: 'Agreed.',
      refused: 'Refused.',
      decided: 'The recruiter decided: {{signal.payload.decision}}.',
    },
  },
  fr: { common: { relayWords: { end: 'fin', block: 'bloquer', report: 'signaler', menu: 'menu' }, relayHint: 'Écrivez : {{words}}' }, t: { chat: 'Vous parlez avec {{peer}}.' } },
};

/** The test strings' renderer (i18next, as in the product). */
export const text = createTextRenderer(resources);

/** The fixed "now" of every test turn. */
export const t0 = new Date('2026-11-28T10:00:00Z');

/** Hours after t0. */
export const hoursLater = (hours: number): Date => new Date(t0.getTime() + hours * 3_600_000);

/** An engine env over the given dialogs; `entry` is the first one unless overridden. */
export function testEnv(dialogs: readonly DialogDef[], overrides: Partial<EngineEnv> = {}): EngineEnv {
  return {
    now: t0,
    dialogs: dialogRegistry(dialogs),
    text,
    commands: commandMatcher({ help: ['help'], menu: ['menu'], language: ['language'], stop: ['stop'], start: ['start'], forget: ['forget'] }),
    languages: [
      { code: 'en', nativeName: 'English', aliases: ['en'] },
      { code: 'fr', nativeName: 'Français', aliases: ['fr'] },
    ],
    defaultLang: 'en',
    person: null,
    entry: () => ({ dialog: dialogs[0]!.id, data: {} }),
    commandDialogs: { language: 'language', forget: 'forget' },
    idleTimeoutMs: 12 * 3_600_000,
    maxAttempts: 3,
    maxStepsPerTurn: 30,
    maxAnswerLength: 500,
    ...overrides,
  };
}

/** A person's typed message. */
export const say = (value: string): EngineInput => ({ kind: 'message', content: { type: 'text', text: value } });
/** A tapped button or list row. */
export const tap = (choiceId: string): EngineInput => ({ kind: 'message', content: { type: 'choice', choiceId } });
/** The result of the task the dialog waits for. */
export const taskResult = (value: JsonObject): EngineInput => ({ kind: 'task-result', value });

/** What the person reads, one entry per message: the text, then the buttons' labels if any. */
export function seen(result: TurnResult): (string | string[])[] {
  return result.replies.flatMap((r) => (r.message.type === 'choices' ? [r.message.text, r.message.choices.map((c) => c.label)] : [r.message.text]));
}

/** Drives a conversation turn by turn, keeping the session as the pipeline does. */
export function conversation(env: EngineEnv, start: Session | null = null) {
  let session = start;
  return {
    send(input: EngineInput, overrides: Partial<EngineEnv> = {}): TurnResult {
      const result = runTurn(session, input, { ...env, ...overrides });
      session = result.session;
      return result;
    },
    get session(): Session | null {
      return session;
    },
  };
}
