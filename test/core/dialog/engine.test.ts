import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commandMatcher } from '../../../core/dialog/commands.ts';
import { dialogRegistry, type DialogDef } from '../../../core/dialog/dialog-definition.ts';
import { runTurn, type TurnResult } from '../../../core/dialog/engine.ts';
import type { EngineEnv, EngineInput } from '../../../core/dialog/engine-env.ts';
import type { Session } from '../../../core/dialog/session.ts';

// A small test bot, independent of the product's dialogs: the runtime alone, no channel, no database.
const strings: Record<string, Record<string, string>> = {
  en: {
    'common:pickLanguage': 'Language?',
    'common:pickLanguageFirst': 'Language? / Langue ?',
    'common:help': 'HELP TEXT',
    'common:offerHelp': 'Having trouble? Type HELP.',
    'common:pickOne': 'Pick one.',
    'common:empty': 'Empty.',
    'common:tooLong': 'Too long.',
    'common:stopped': 'Unsubscribed.',
    'common:menuAfterOnboarding': 'Finish first.',
    'common:idleRestart': 'Welcome back.',
    'common:restarted': 'Updated, starting again.',
    'common:forgotten': 'Erased.',
    'common:yes': 'Yes',
    'common:no': 'No',
    'common:forgetConfirm': 'Erase?',
    'ask:age': 'How old are you, {{name}}?',
    'ask:name': 'Name?',
    'ask:badAge': 'A number please.',
    'ask:color': 'Color?',
    'ask:red': 'Red',
    'ask:blue': 'Blue',
    'ask:thanks': 'Thanks {{name}}, {{age}}, {{color}}.',
    'menu:title': 'Menu',
  },
  fr: {
    'common:pickLanguage': 'Langue ?',
    'ask:name': 'Prénom ?',
    'ask:color': 'Couleur ?',
    'ask:red': 'Rouge',
    'ask:blue': 'Bleu',
    'common:stopped': 'Désabonné.',
  },
};
const text: EngineEnv['text'] = (lang, key, params = {}) => {
  const template = strings[lang]?.[key] ?? strings['en']?.[key] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => String(params[name] ?? ''));
};

const colorDialog: DialogDef = {
  id: 'color',
  version: 1,
  start: 'pick',
  steps: {
    pick: {
      kind: 'ask',
      prompt: { key: 'ask:color' },
      input: { type: 'choice', choices: [{ id: 'red', label: 'ask:red' }, { id: 'blue', label: 'ask:blue' }] },
      save: 'color',
      next: 'done',
    },
    done: { kind: 'end', result: 'color' },
  },
};
const profileDialog: DialogDef = {
  id: 'profile',
  version: 2,
  start: 'name',
  steps: {
    name: { kind: 'ask', prompt: { key: 'ask:name' }, input: { type: 'text', schema: z.string().trim().min(1), invalid: 'ask:badAge' }, save: 'name', next: 'age' },
    age: {
      kind: 'ask',
      prompt: { key: 'ask:age' },
      input: { type: 'text', schema: z.coerce.number().int().min(1).max(120), invalid: 'ask:badAge' },
      save: 'age',
      next: 'color',
    },
    color: { kind: 'call', dialog: 'color', save: 'color', next: 'save' },
    save: { kind: 'emit', event: 'profile.saved', next: 'thanks' },
    thanks: { kind: 'say', text: { key: 'ask:thanks' }, next: 'menu' },
    menu: { kind: 'goto', dialog: 'menu' },
  },
};
const menuDialog: DialogDef = {
  id: 'menu',
  version: 1,
  start: 'root',
  steps: { root: { kind: 'ask', prompt: { key: 'menu:title' }, input: { type: 'choice', choices: [{ id: 'x', label: 'ask:red' }] }, next: 'root' } },
};
const languageDialog: DialogDef = {
  id: 'language',
  version: 1,
  start: 'pick',
  steps: { pick: { kind: 'ask', prompt: { key: 'common:pickLanguage' }, input: { type: 'language' }, save: 'lang', next: 'end' }, end: { kind: 'end' } },
};
const forgetDialog: DialogDef = {
  id: 'forget',
  version: 1,
  start: 'confirm',
  steps: {
    confirm: {
      kind: 'ask',
      prompt: { key: 'common:forgetConfirm' },
      input: { type: 'choice', choices: [{ id: 'yes', label: 'common:yes' }, { id: 'no', label: 'common:no' }] },
      save: 'answer',
      next: { switch: 'answer', cases: { yes: 'erase' }, default: 'back' },
    },
    erase: { kind: 'erase', text: { key: 'common:forgotten' } },
    back: { kind: 'end' },
  },
};

const t0 = new Date('2026-11-28T10:00:00Z');
function env(overrides: Partial<EngineEnv> = {}): EngineEnv {
  return {
    now: t0,
    dialogs: dialogRegistry([profileDialog, colorDialog, menuDialog, languageDialog, forgetDialog]),
    text,
    commands: commandMatcher({ help: ['help', 'aide'], menu: ['menu'], language: ['language', 'langue'], stop: ['stop'], start: ['start'], forget: ['forget'] }),
    languages: [
      { code: 'en', nativeName: 'English', aliases: ['en'] },
      { code: 'fr', nativeName: 'Français', aliases: ['fr', 'French'] },
    ],
    defaultLang: 'en',
    person: null,
    entry: (person) => (person ? { dialog: 'menu', data: {} } : { dialog: 'profile', data: {} }),
    commandDialogs: { language: 'language', forget: 'forget' },
    idleTimeoutMs: 30 * 60_000,
    maxAttempts: 3,
    maxStepsPerTurn: 20,
    maxAnswerLength: 100,
    ...overrides,
  };
}

const say = (value: string): EngineInput => ({ kind: 'message', content: { type: 'text', text: value } });
const texts = (result: TurnResult) => result.replies.map((r) => r.message.text);

/** Drives a conversation turn by turn, keeping the session like the pipeline does. */
function conversation(e: EngineEnv = env()) {
  let session: Session | null = null;
  return {
    send(input: EngineInput, overrides: Partial<EngineEnv> = {}): TurnResult {
      const result = runTurn(session, input, { ...e, ...overrides });
      session = result.session;
      return result;
    },
    get session() {
      return session;
    },
  };
}

describe('dialog engine', () => {
  it('drives a dialog step by step, with a sub-dialog result and an event', () => {
    const c = conversation();
    expect(texts(c.send({ kind: 'message', content: { type: 'start' } }))).toEqual(['Name?']);
    expect(c.session).toMatchObject({ dialog: 'profile', dialogVersion: 2, step: 'name', stack: [] });
    expect(texts(c.send(say('Amina')))).toEqual(['How old are you, Amina?']);
    const color = c.send(say('34'));
    expect(color.replies).toEqual([
      { lang: 'en', message: { type: 'choices', text: 'Color?', choices: [{ id: 'red', label: 'Red' }, { id: 'blue', label: 'Blue' }] } },
    ]);
    expect(c.session?.stack.map((f) => f.dialog)).toEqual(['profile']);
    const done = c.send({ kind: 'message', content: { type: 'choice', choiceId: 'blue' } });
    expect(texts(done)).toEqual(['Thanks Amina, 34, blue.', 'Menu']);
    expect(done.events).toEqual([{ type: 'profile.saved', payload: { name: 'Amina', age: 34, color: 'blue' }, awaitsResult: false }]);
    expect(c.session).toMatchObject({ dialog: 'menu', step: 'root', stack: [] });
  });

  it('re-prompts with a localized explanation on invalid input, and offers help after 3 failures', () => {
    const c = conversation();
    c.send(say('hi'));
    c.send(say('Amina'));
    expect(texts(c.send(say('old')))).toEqual(['A number please.', 'How old are you, Amina?']);
    expect(c.session?.attempts).toBe(1);
    expect(texts(c.send(say('200')))).toEqual(['A number please.', 'How old are you, Amina?']);
    expect(texts(c.send(say('x')))).toEqual(['Having trouble? Type HELP.', 'How old are you, Amina?']);
    expect(c.session?.attempts).toBe(0);
    expect(texts(c.send(say('30')))).toEqual(['Color?']);
  });

  it('matches a typed number, a label, or a label in the default language to the same choice', () => {
    for (const answer of ['2', '٢', '۲', 'bleu', 'BLEU!', 'Blue']) {
      const c = conversation();
      c.send(say('hi'));
      c.send(say('langue'));
      expect(texts(c.send(say('fr')))).toEqual(['Prénom ?']);
      c.send(say('Amina'));
      expect(texts(c.send(say('34')))).toEqual(['Couleur ?']);
      const picked = c.send(say(answer));
      expect(picked.events[0]?.payload['color'], answer).toBe('blue');
    }
  });

  it('recognises global commands mid-dialog and returns to the same question', () => {
    const c = conversation();
    c.send(say('hi'));
    c.send(say('Amina'));
    expect(texts(c.send(say('help')))).toEqual(['HELP TEXT', 'How old are you, Amina?']);
    expect(texts(c.send(say('Langue')))).toEqual(['Language? / Langue ?']);
    const back = c.send(say('Français'));
    expect(back.events).toContainEqual({ type: 'person.language-changed', payload: { lang: 'fr' }, awaitsResult: false });
    expect(back.replies.at(-1)).toEqual({ lang: 'fr', message: { type: 'text', text: 'How old are you, Amina?' } });
    expect(c.session).toMatchObject({ dialog: 'profile', step: 'age', lang: 'fr', stack: [] });
    const stop = c.send(say('STOP'));
    expect(stop.events).toEqual([{ type: 'person.unsubscribed', payload: {}, awaitsResult: false }]);
    expect(texts(stop)).toEqual(['Désabonné.', 'How old are you, Amina?']);
    expect(texts(c.send(say('menu')))).toEqual(['Finish first.', 'How old are you, Amina?']);
  });

  it('opens the menu on "menu" for a known person', () => {
    const person = { id: 'p1', role: 'newcomer', roleStatus: 'active', firstName: 'Amina', lang: 'en' };
    const c = conversation(env({ person }));
    expect(texts(c.send(say('hello')))).toEqual(['Menu']);
    expect(texts(c.send(say('menu')))).toEqual(['Menu']);
  });

  it('erases the conversation after "forget" is confirmed, and keeps it when not', () => {
    const c = conversation();
    c.send(say('hi'));
    expect(texts(c.send(say('forget')))).toEqual(['Erase?']);
    expect(texts(c.send(say('no')))).toEqual(['Name?']);
    c.send(say('forget'));
    const erased = c.send(say('1'));
    expect(texts(erased)).toEqual(['Erased.']);
    expect(erased.events).toEqual([{ type: 'person.erase', payload: {}, awaitsResult: false }]);
    expect(erased.session).toBeNull();
  });

  it('starts fresh with a short notice after the idle timeout', () => {
    const c = conversation();
    c.send(say('hi'));
    c.send(say('Amina'));
    const later = new Date(t0.getTime() + 31 * 60_000);
    expect(texts(c.send(say('34'), { now: later }))).toEqual(['Welcome back.', 'Name?']);
    expect(c.session).toMatchObject({ step: 'name', data: {} });
  });

  it('restarts politely when the stored dialog version is gone', () => {
    const c = conversation();
    c.send(say('hi'));
    const old: Session = { ...c.session!, dialogVersion: 1 };
    const result = runTurn(old, say('Amina'), env());
    expect(texts(result)).toEqual(['Updated, starting again.', 'Name?']);
    expect(runTurn({ ...old, schema: 99 as 1 }, say('x'), env()).session?.dialogVersion).toBe(2);
  });

  it('answers an empty or too long message politely', () => {
    const c = conversation();
    c.send(say('hi'));
    expect(texts(c.send(say('   ')))).toEqual(['Empty.', 'Name?']);
    expect(texts(c.send(say('x'.repeat(10_000))))).toEqual(['Too long.', 'Name?']);
  });

  it('waits for a task result and resumes with it', () => {
    const lookup: DialogDef = {
      id: 'lookup',
      version: 1,
      start: 'find',
      steps: {
        find: { kind: 'task', event: 'org.find', save: 'org', next: 'show' },
        show: { kind: 'say', text: { key: 'ask:thanks' }, next: 'menu' },
        menu: { kind: 'goto', dialog: 'menu' },
      },
    };
    const e = env({ dialogs: dialogRegistry([lookup, menuDialog, languageDialog, forgetDialog]), entry: () => ({ dialog: 'lookup', data: { name: 'A' } }) });
    const first = runTurn(null, say('hi'), e);
    // The first message's text travels with the entry data (it may be a reply to a broadcast).
    expect(first.events).toEqual([{ type: 'org.find', payload: { name: 'A', firstText: 'hi' }, awaitsResult: true }]);
    expect(first.replies).toEqual([]);
    const second = runTurn(first.session, { kind: 'task-result', value: 'red' }, e);
    expect(second.session?.data).toEqual({});
    expect(texts(second)).toEqual(['Thanks A, , .', 'Menu']);
  });

  it('stops a definition that loops without waiting', () => {
    const loop: DialogDef = { id: 'loop', version: 1, start: 'a', steps: { a: { kind: 'say', text: { key: 'x' }, next: 'b' }, b: { kind: 'say', text: { key: 'x' }, next: 'a' } } };
    const e = env({ dialogs: dialogRegistry([loop, menuDialog, languageDialog, forgetDialog]), entry: () => ({ dialog: 'loop', data: {} }) });
    expect(() => runTurn(null, say('hi'), e)).toThrow(/without waiting/);
  });

  it('rejects a registry whose steps point nowhere', () => {
    const broken: DialogDef = { id: 'b', version: 1, start: 'a', steps: { a: { kind: 'say', text: { key: 'x' }, next: 'nowhere' } } };
    expect(() => dialogRegistry([broken])).toThrow(/missing step nowhere/);
  });
});
