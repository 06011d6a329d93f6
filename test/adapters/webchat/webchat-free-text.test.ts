import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

const userId = 'web-free-text-1';
async function say(body: object): Promise<string[]> {
  const res = await request(app!.http).post('/api/webchat/messages').send({ userId, ...body });
  expect(res.status).toBe(200);
  return (res.body as { replies: { text: string }[] }).replies.map((r) => r.text);
}

describe("people's free text", () => {
  it('stores a typed place without NUL, control or bidi-override characters', async () => {
    app = await testApp();
    await say({ start: true });
    await say({ text: 'English' });
    await say({ choiceId: 'agree' });
    await say({ choiceId: 'newcomer' });
    await say({ text: 'Amina' });
    await say({ text: '\u202eParis\u0000\u0007' });
    const person = await app.store.people.findByAddress({ channel: 'webchat', id: userId });
    expect(person?.place).toEqual({ type: 'typed', text: 'Paris' });
    expect(person?.firstName).toBe('Amina');
  });
});
