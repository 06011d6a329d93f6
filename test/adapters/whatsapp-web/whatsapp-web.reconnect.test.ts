import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../adapters/whatsapp-web/whatsapp-web.connection.ts';
import { FakeWhatsappWebClient } from '../../fakes/whatsapp-web-client.fake.ts';
import { whatsappWebHarness, type Harness } from './whatsapp-web.harness.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/** An injected sleep that records each pause and resolves at once (or waits for the abort). */
function recordingSleep(mode: 'instant' | 'until-aborted' = 'instant') {
  const pauses: number[] = [];
  const sleep = (ms: number, signal: AbortSignal): Promise<void> => {
    pauses.push(ms);
    if (mode === 'instant') return Promise.resolve();
    return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true }));
  };
  return { pauses, sleep };
}

describe('whatsapp-web reconnection', () => {
  it('re-initializes after a disconnect, backing off 1 s, 2 s, 4 s while starts fail, and resets after a stable minute', async () => {
    const { pauses, sleep } = recordingSleep();
    let now = 0;
    h = await whatsappWebHarness({}, { sleep, random: () => 0, now: () => now });
    expect(h.fake.initializeCalls).toBe(1);
    expect(h.channel.connection.isReady()).toBe(true);

    h.fake.initializeOutcomes.push(new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/'), new Error('net::ERR_INTERNET_DISCONNECTED'));
    h.fake.emit('disconnected', 'CONFLICT');
    expect(h.channel.connection.isReady()).toBe(false);
    expect(h.channel.connection.status().state).toBe('reconnecting');
    await h.channel.connection.settled();

    expect(pauses).toEqual([1_000, 2_000, 4_000]);
    expect(h.fake.initializeCalls).toBe(4);
    // Each pause is followed by a destroy, and each failed start too: no Chromium is left behind.
    expect(h.fake.destroyCalls).toBe(5);
    expect(h.logger.lines.filter((l) => l.message === 'whatsapp-web could not start; retrying')).toHaveLength(2);

    // Ready, then dropped within the minute: the pauses keep growing (no tight reconnect loop).
    h.fake.emit('ready');
    now += 59_000;
    h.fake.emit('disconnected', 'CONFLICT');
    await h.channel.connection.settled();
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000]);

    // Ready for a minute: the next disconnect starts again from 1 s.
    h.fake.emit('ready');
    now += 60_000;
    h.fake.emit('disconnected', 'UNPAIRED');
    await h.channel.connection.settled();
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 1_000]);
    expect(h.fake.initializeCalls).toBe(6);
  });

  it('answers sends with a transient failure while disconnected', async () => {
    h = await whatsappWebHarness({}, { sleep: recordingSleep('until-aborted').sleep });
    h.fake.emit('disconnected', 'TIMEOUT');
    expect(await h.channel.sender.send({ channel: 'whatsapp-web', id: '33612345678@c.us' }, { type: 'text', text: 'Hi' })).toEqual({
      status: 'transient-failure',
      detail: 'whatsapp web client not ready',
    });
    expect(h.fake.sent).toEqual([]);
  });

  it('stops reconnecting on shutdown, even in the middle of a pause', async () => {
    const { pauses, sleep } = recordingSleep('until-aborted');
    h = await whatsappWebHarness({}, { sleep });
    h.fake.emit('disconnected', 'CONFLICT');
    expect(pauses).toEqual([1_000]);
    await h.channel.stop();
    await h.channel.connection.settled();
    expect(h.fake.initializeCalls).toBe(1);
    h.fake.emit('disconnected', 'CONFLICT');
    expect(pauses).toEqual([1_000]);
  });

  it('leaves a logout to the library, which shows a new QR code itself', async () => {
    const { pauses, sleep } = recordingSleep();
    h = await whatsappWebHarness({}, { sleep });
    h.fake.emit('disconnected', 'LOGOUT');
    await h.channel.connection.settled();
    expect(pauses).toEqual([]);
    expect(h.fake.initializeCalls).toBe(1);
    expect(h.channel.connection.status()).toEqual({ state: 'starting', qr: null });
  });

  it('retries a first start that fails, destroying the browser each time', async () => {
    const { pauses, sleep } = recordingSleep();
    const fake = new FakeWhatsappWebClient();
    fake.initializeOutcomes.push(new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/'));
    h = await whatsappWebHarness({}, { sleep, ready: false, fake });
    expect(fake.initializeCalls).toBe(2);
    expect(fake.destroyCalls).toBe(2);
    expect(pauses).toEqual([1_000]);
    expect(h.channel.connection.status()).toEqual({ state: 'starting', qr: null });
  });

  it('doubles the pause up to 60 s, with at most 20 % jitter below it', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 20].map((n) => backoffDelay(n, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(backoffDelay(0, () => 1)).toBe(800);
    expect(backoffDelay(9, () => 0.5)).toBe(54_000);
  });
});
