import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contentOf, renderReplies, runChat } from '../../../adapters/cli/chat.ts';
import { addressKey } from '../../../core/messages.ts';
import { testApp } from '../../support/test-app.ts';

type TestApp = Awaited<ReturnType<typeof testApp>>;
let app: TestApp;
afterEach(async () => {
  await app.dispose();
});

const en = JSON.parse(readFileSync(new URL('../../../bots/onboarding/locales/en.json', import.meta.url), 'utf8')) as Record<string, string>;

/** A terminal: lines typed into `input`, everything printed collected in `printed()`. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString('utf8');
  });
  return {
    input,
    output,
    printed: () => printed,
    type(line: string) {
      input.write(`${line}\n`);
    },
    /** Waits until `text` has been printed after what was printed when called. */
    async shows(text: string): Promise<string> {
      const from = printed.length;
      await vi.waitFor(() => expect(printed.slice(from)).toContain(text), { timeout: 5_000, interval: 10 });
      return printed.slice(from);
    },
  };
}

describe('terminal chat', () => {
  it('shows numbered options: the number shown for English gives the privacy question, then a number or a label answers', async () => {
    app = await testApp();
    const term = terminal();
    const done = runChat({ input: term.input, output: term.output, app });

    await vi.waitFor(() => expect(term.printed()).toMatch(/^\d+\. English$/m), { timeout: 5_000, interval: 10 });
    expect(term.printed()).toMatch(/^1\. العربية\n2\. فارسی \/ دری\n/m);
    const number = /^(\d+)\. English$/m.exec(term.printed())![1]!;

    const privacy = term.shows('2. No');
    term.type(number);
    expect(await privacy).toBe(`\n${en['privacy']}\n1. ${en['agree']}\n2. ${en['disagree']}\n> `);

    const role = term.shows('4. Recruiter');
    term.type('1');
    expect(await role).toBe(`\n${en['askRole']}\n1. New in the country\n2. Local resident\n3. NGO staff\n4. Recruiter\n> `);

    // A label typed in any case is the same as its number.
    const name = term.shows(en['askName']!);
    term.type('ngo STAFF');
    expect(await name).toBe(`\n${en['askName']}\n> `);

    term.input.end(); // Ctrl-D
    await done;
  });

  it('keeps one user id per machine in DATA_DIR, so a restart resumes the conversation', async () => {
    app = await testApp();
    const first = terminal();
    const firstRun = runChat({ input: first.input, output: first.output, app });
    await vi.waitFor(() => expect(first.printed()).toMatch(/^\d+\. English$/m), { timeout: 5_000, interval: 10 });
    const privacy = first.shows(en['privacy']!);
    first.type('English');
    await privacy;
    first.input.end();
    await firstRun;

    const userId = readFileSync(join(app.dataDir, 'cli-user-id'), 'utf8').trim();
    expect(userId).toMatch(/^cli-[0-9a-f]{32}$/);
    const stored = await app.store.conversations.load(addressKey({ channel: 'cli', id: userId }));
    expect(stored?.value.session).toMatchObject({ dialog: 'onboarding', step: 'privacy', lang: 'en' });

    const second = terminal();
    const secondRun = runChat({ input: second.input, output: second.output, app });
    expect(await second.shows('2. No')).toBe(`${en['privacy']}\n1. ${en['agree']}\n2. ${en['disagree']}\n> `);
    second.input.end();
    await secondRun;
  });

  it('ends when its signal aborts (Ctrl-C with stdin not a terminal)', async () => {
    app = await testApp();
    const term = terminal();
    const controller = new AbortController();
    const done = runChat({ input: term.input, output: term.output, app, userId: 'cli-test-user-1', signal: controller.signal });
    await vi.waitFor(() => expect(term.printed()).toContain('English'), { timeout: 5_000, interval: 10 });
    controller.abort();
    await done;
    const printed = term.printed();
    term.type('English');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(term.printed()).toBe(printed);
    expect(printed).toMatch(/10\. English\n> \n$/);
  });

  it('reads a number as the option shown, a label as that option, anything else as text', () => {
    const shown = [
      { id: 'skip', label: 'Skip' },
      { id: 'other', label: 'Autre' },
    ];
    expect(contentOf('1', shown)).toEqual({ type: 'choice', choiceId: 'skip', label: 'Skip' });
    expect(contentOf('autre', shown)).toEqual({ type: 'choice', choiceId: 'other', label: 'Autre' });
    expect(contentOf('3', shown)).toEqual({ type: 'text', text: '3' });
    expect(contentOf('Lyon', shown)).toEqual({ type: 'text', text: 'Lyon' });
  });

  it('prints a place as its name and a map link', () => {
    const place = { type: 'location', text: 'Secours Populaire', latitude: 45.7578137, longitude: 4.8320114 } as const;
    expect(renderReplies([{ lang: 'en', message: place }])).toBe(
      'Secours Populaire\nhttps://www.openstreetmap.org/?mlat=45.7578137&mlon=4.8320114#map=17/45.7578137/4.8320114\n',
    );
  });
});
