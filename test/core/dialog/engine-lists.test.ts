import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DialogDef } from '../../../core/dialog/dialog-definition.ts';
import type { JsonObject } from '../../../core/dialog/json.ts';
import { conversation, say, seen, tap, taskResult, testEnv } from './engine-harness.ts';

// Golden transcripts of lists from data, paging, multi-select and append saves: engine only.

/** Ten jobs, five a page: what a search task returns for a cursor. */
function page(cursor: number): JsonObject {
  const items = Array.from({ length: 5 }, (_, i) => cursor + i + 1).map((n) => ({ id: `job-${n}`, label: `Job ${n}`, description: `Town ${n}` }));
  return { items, next: cursor + 5 < 10 ? cursor + 5 : null, prev: cursor > 0 ? cursor - 5 : null };
}

const searchDialog: DialogDef = {
  id: 'search',
  version: 1,
  start: 'find',
  steps: {
    find: { kind: 'task', event: 'jobs.search', save: 'results', next: 'page' },
    page: { kind: 'route', next: { switch: 'results.next', cases: { '': 'last' }, default: 'list' } },
    last: { kind: 'say', text: { key: 't:lastPage' }, next: 'list' },
    list: {
      kind: 'ask',
      prompt: { key: 't:jobs' },
      input: {
        type: 'choice',
        from: 'results.items',
        choices: [
          { id: 'more', label: 't:more', when: 'results.next' },
          { id: 'back', label: 't:back', when: 'results.prev' },
        ],
      },
      save: 'pick',
      next: { switch: 'pick', cases: { more: 'nextPage', back: 'prevPage' }, default: 'chosen' },
    },
    nextPage: { kind: 'set', key: 'cursor', from: 'results.next', next: 'find' },
    prevPage: { kind: 'set', key: 'cursor', from: 'results.prev', next: 'find' },
    chosen: { kind: 'say', text: { key: 't:chosen' }, next: 'home' },
    home: { kind: 'goto', dialog: 'home' },
  },
};

const homeDialog: DialogDef = {
  id: 'home',
  version: 1,
  start: 'root',
  steps: { root: { kind: 'ask', prompt: { key: 't:home' }, input: { type: 'text', schema: z.string(), invalid: 'common:pickOne' }, next: 'root' } },
};

const jobs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `Job ${from + i}`);

describe('lists from data', () => {
  it('pages through ten results five at a time, with "more" and "back", and says when the last page is reached', () => {
    const c = conversation(testEnv([searchDialog, homeDialog]));
    const first = c.send(say('hi'));
    expect(first.replies).toEqual([]);
    expect(first.events).toEqual([{ type: 'jobs.search', payload: { firstText: 'hi' }, awaitsResult: true }]);

    const one = c.send(taskResult(page(0)));
    expect(seen(one)).toEqual(['Jobs:', [...jobs(1, 5), 'More']]);
    // Rows keep their short description (WhatsApp list rows show it).
    expect(c.session?.shown[0]).toEqual({ id: 'job-1', label: 'Job 1', description: 'Town 1' });
    expect(c.session?.shown.map((s) => s.id)).toEqual(['job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'more']);

    const more = c.send(tap('more'));
    expect(more.replies).toEqual([]);
    expect(more.events).toMatchObject([{ type: 'jobs.search', payload: { cursor: 5 }, awaitsResult: true }]);
    expect(seen(c.send(taskResult(page(5))))).toEqual(['That is the last page.', 'Jobs:', [...jobs(6, 10), 'Back']]);

    // "back" re-runs the task with the previous cursor.
    expect(c.send(say('back')).events).toMatchObject([{ type: 'jobs.search', payload: { cursor: 0 } }]);
    expect(seen(c.send(taskResult(page(0))))).toEqual(['Jobs:', [...jobs(1, 5), 'More']]);

    // A typed number picks among the rows actually shown.
    expect(seen(c.send(say('3')))).toEqual(['You picked job-3.', 'Home']);
  });

  it('answers a tap on an outdated list with "this list has changed" and the current list, counting no attempt', () => {
    const c = conversation(testEnv([searchDialog, homeDialog]));
    c.send(say('hi'));
    c.send(taskResult(page(0)));
    c.send(tap('more'));
    c.send(taskResult(page(5)));
    const stale = c.send(tap('job-2'));
    expect(seen(stale)).toEqual(['This list has changed.', 'Jobs:', [...jobs(6, 10), 'Back']]);
    expect(stale.events).toEqual([]);
    expect(c.session).toMatchObject({ step: 'list', attempts: 0 });
    expect(seen(c.send(tap('job-7')))).toEqual(['You picked job-7.', 'Home']);
  });
});

const skillsDialog: DialogDef = {
  id: 'skills',
  version: 1,
  start: 'pick',
  steps: {
    pick: {
      kind: 'ask',
      prompt: { key: 't:skills' },
      input: {
        type: 'multi',
        choices: [
          { id: 'cook', label: 't:cook' },
          { id: 'drive', label: 't:drive' },
          { id: 'build', label: 't:build' },
          { id: 'teach', label: 't:teach' },
        ],
        done: { id: 'done', label: 't:done' },
      },
      save: 'skills',
      next: 'saved',
    },
    saved: { kind: 'say', text: { key: 't:skillsSaved' }, next: 'home' },
    home: { kind: 'goto', dialog: 'home' },
  },
};

describe('multi-select', () => {
  it('ticks and unticks options, shows them ticked, and moves on at "done"', () => {
    const c = conversation(testEnv([skillsDialog, homeDialog]));
    expect(seen(c.send(say('hi')))).toEqual(['Your skills?', ['Cooking', 'Driving', 'Building', 'Teaching', 'Done']]);
    // "Done" with nothing picked is refused.
    expect(seen(c.send(tap('done')))).toEqual(['Pick one.', 'Your skills?', ['Cooking', 'Driving', 'Building', 'Teaching', 'Done']]);
    expect(seen(c.send(tap('cook')))).toEqual(['Your skills?', ['✅ Cooking', 'Driving', 'Building', 'Teaching', 'Done']]);
    // Several numbers at once, as people type them without buttons.
    expect(seen(c.send(say('2, 4')))).toEqual(['Your skills?', ['✅ Cooking', '✅ Driving', 'Building', '✅ Teaching', 'Done']]);
    // A ticked label, typed or tapped, unticks it.
    expect(seen(c.send(say('cooking')))).toEqual(['Your skills?', ['Cooking', '✅ Driving', 'Building', '✅ Teaching', 'Done']]);
    expect(c.session?.data['skills']).toEqual(['drive', 'teach']);
    const done = c.send(say('done'));
    expect(seen(done)).toEqual(['Skills: drive,teach.', 'Home']);
  });
});

const diplomaDialog: DialogDef = {
  id: 'diploma',
  version: 1,
  start: 'title',
  steps: {
    title: { kind: 'ask', prompt: { key: 't:title' }, input: { type: 'text', schema: z.string().trim().min(2), invalid: 'common:pickOne' }, save: 'title', next: 'year' },
    year: { kind: 'ask', prompt: { key: 't:year' }, input: { type: 'text', schema: z.coerce.number().int().min(1950).max(2030), invalid: 't:badYear' }, save: 'year', next: 'done' },
    done: { kind: 'end' },
  },
};

const profileDialog: DialogDef = {
  id: 'profile',
  version: 1,
  start: 'diploma',
  steps: {
    diploma: { kind: 'call', dialog: 'diploma', save: 'diplomas', append: true, next: 'another' },
    another: {
      kind: 'ask',
      prompt: { key: 't:another' },
      input: {
        type: 'choice',
        choices: [
          { id: 'another', label: 't:addAnother' },
          { id: 'done', label: 't:done' },
        ],
      },
      save: 'again',
      next: { switch: 'again', cases: { another: 'diploma' }, default: 'summary' },
    },
    summary: { kind: 'say', text: { key: 't:diplomas' }, next: 'save' },
    save: { kind: 'emit', event: 'profile.diplomas', next: 'home' },
    home: { kind: 'goto', dialog: 'home' },
  },
};

describe('append saves', () => {
  it('builds a list of three diplomas from a sub-dialog, with "add another" and "done"', () => {
    const c = conversation(testEnv([profileDialog, diplomaDialog, homeDialog]));
    expect(seen(c.send({ kind: 'message', content: { type: 'start' } }))).toEqual(['Diploma?']);
    for (const [title, year] of [
      ['Nursing', '2015'],
      ['Driving licence', '2019'],
    ]) {
      c.send(say(title!));
      expect(seen(c.send(say(year!)))).toEqual(['Add another?', ['Add another', 'Done']]);
      expect(seen(c.send(tap('another')))).toEqual(['Diploma?']);
    }
    c.send(say('French B1'));
    expect(seen(c.send(say('twenty')))).toEqual(['A year please.', 'Year?']);
    c.send(say('2024'));
    const done = c.send(say('2'));
    expect(seen(done)).toEqual(['Diplomas: Nursing, Driving licence, French B1.', 'Home']);
    expect(done.events).toEqual([
      {
        type: 'profile.diplomas',
        payload: {
          diplomas: [
            { title: 'Nursing', year: 2015 },
            { title: 'Driving licence', year: 2019 },
            { title: 'French B1', year: 2024 },
          ],
          again: 'done',
        },
        awaitsResult: false,
      },
    ]);
  });
});
