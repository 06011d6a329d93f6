import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { addressKey } from '../../../core/messages.ts';
import { ADDRESS, captureConnector, en, messageActivity, messengerAppsPerTest, post, SERVICE_URL, type MessengerApp } from './messenger.fixtures.ts';

/** The bot's Azure registration (shapes of real values, of no real app). */
const APP_ID = '8a1c4e2f-0b7d-4c39-9e51-3f6a2d7b8c90';
const ENV = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'not-a-real-client-secret' };
/** Where the SDK reads the Bot Connector's signing keys, and where it gets its own token. */
const OPENID = 'https://login.botframework.com';
const ENTRA = 'https://login.microsoftonline.com';
const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.bot-to-connector.token';

const connectorKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forgerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KEY_ID = 'connector-key-1';

/** A JWT signed with RS256, as the Bot Connector sends in `Authorization: Bearer`. */
function jwt(key: KeyObject, kid: string, claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);
/** The claims of a genuine connector token for this bot and this service URL. */
const claims = () => ({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: SERVICE_URL, nbf: now() - 60, exp: now() + 3600 });

const startApp = messengerAppsPerTest();
let app: MessengerApp;
beforeAll(() => {
  // The SDK prints rejected tokens and the signing keys to the console; keep the output readable.
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
});
beforeEach(async () => {
  const jwk = connectorKey.publicKey.export({ format: 'jwk' });
  nock(OPENID)
    .persist()
    .get('/v1/.well-known/openidconfiguration')
    .reply(200, { issuer: 'https://api.botframework.com', jwks_uri: `${OPENID}/v1/.well-known/keys` })
    .get('/v1/.well-known/keys')
    .reply(200, { keys: [{ kty: 'RSA', use: 'sig', kid: KEY_ID, n: jwk.n, e: jwk.e, endorsements: ['facebook'] }] });
  app = await startApp({ env: ENV });
});

/** Nothing about the person was kept, and nothing was sent. */
async function expectNothingStored(connector: ReturnType<typeof captureConnector>): Promise<void> {
  expect(await app.store.reach.get(ADDRESS)).toBeNull();
  expect(await app.store.conversations.load(addressKey(ADDRESS))).toBeNull();
  expect(connector.calls).toEqual([]);
}

describe('Messenger webhook authentication (MicrosoftAppId set)', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a token that is no JWT', 'Bearer not-a-token'],
    ['another scheme', `Basic ${Buffer.from('bot:secret').toString('base64')}`],
    ['a token signed with an unknown key', `Bearer ${jwt(forgerKey.privateKey, 'forged-key', claims())}`],
    // CloudAdapter.process answers 500 to this one: jsonwebtoken's error is no AuthenticationError.
    ['a forged signature under the real key id', `Bearer ${jwt(forgerKey.privateKey, KEY_ID, claims())}`],
    ['a genuine token for another bot', `Bearer ${jwt(connectorKey.privateKey, KEY_ID, { ...claims(), aud: 'another-app-id' })}`],
    ['a genuine token for another service URL', `Bearer ${jwt(connectorKey.privateKey, KEY_ID, { ...claims(), serviceurl: 'https://evil.example.org/' })}`],
    ['an expired token', `Bearer ${jwt(connectorKey.privateKey, KEY_ID, { ...claims(), nbf: now() - 7200, exp: now() - 3600 })}`],
  ])('refuses %s with 401 and stores nothing', async (_case, authorization) => {
    const connector = captureConnector();
    const res = await post(app, messageActivity('Hi'), authorization);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'unauthorized' });
    await expectNothingStored(connector);
  });

  it('refuses a malformed body without a token with 401, not 400', async () => {
    const res = await post(app, { nothing: 'here' });
    expect(res.status).toBe(401);
  });

  it('accepts a genuine connector token and replies with the bot\u2019s own token', async () => {
    const token = nock(ENTRA)
      .post('/botframework.com/oauth2/v2.0/token', (form: Record<string, string>) => form['client_id'] === APP_ID && form['grant_type'] === 'client_credentials')
      .query(true)
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: ACCESS_TOKEN });
    const connector = captureConnector();
    const res = await post(app, messageActivity('Hi'), `Bearer ${jwt(connectorKey.privateKey, KEY_ID, claims())}`);
    expect(res.status).toBe(200);
    expect(token.isDone()).toBe(true);
    expect(connector.calls.map((c) => [c.authorization, c.body['text']])).toEqual([[`Bearer ${ACCESS_TOKEN}`, en('common:pickLanguageFirst')]]);
    expect(await app.store.reach.get(ADDRESS)).not.toBeNull();
  });
});
