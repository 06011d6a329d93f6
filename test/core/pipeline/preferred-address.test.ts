import { describe, expect, it } from 'vitest';
import type { Address, ChannelName } from '../../../core/messages.ts';
import { preferredAddress } from '../../../core/pipeline/freshest-address.ts';
import type { ReachStore } from '../../../core/ports/reach.port.ts';

// Where relays and notices go: the person's chosen channel when they are on it, else where they last wrote.

const tg: Address = { channel: 'telegram', id: 't1' };
const wa1: Address = { channel: 'whatsapp-cloud', id: '3361' };
const wa2: Address = { channel: 'whatsapp-cloud', id: '3362' };
const web: Address = { channel: 'webchat', id: 'w1' };
const wrote = new Map<string, number>([
  ['telegram:t1', 300],
  ['whatsapp-cloud:3361', 100],
  ['whatsapp-cloud:3362', 200],
]);
const reach = { get: async (a: Address) => (wrote.has(`${a.channel}:${a.id}`) ? { lastInboundAt: new Date(wrote.get(`${a.channel}:${a.id}`)!), reference: null } : null) } as unknown as ReachStore;
const storeWith = (order: ChannelName[]) => ({ people: { channelOrder: async () => order }, reach });
const person = { id: 'p1', identities: [tg, wa1, wa2, web] };

describe('preferredAddress', () => {
  it('is where the person last wrote when they never chose', async () => {
    expect(await preferredAddress(person, storeWith([]))).toEqual(tg);
  });

  it('is the freshest identity on the first chosen channel the person is on', async () => {
    expect(await preferredAddress(person, storeWith(['whatsapp-cloud', 'telegram']))).toEqual(wa2);
    expect(await preferredAddress(person, storeWith(['sms', 'webchat']))).toEqual(web);
  });

  it('falls back to the freshest when no chosen channel is one of theirs', async () => {
    expect(await preferredAddress(person, storeWith(['messenger']))).toEqual(tg);
  });
});
