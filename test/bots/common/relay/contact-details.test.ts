import { describe, expect, it } from 'vitest';
import { contactDetailIn } from '../../../../bots/common/relay/contact-details.ts';

// What makes a relayed message wait for the writer's "send it anyway".

describe('contact details in a message', () => {
  it.each([
    ['Appelez-moi au 06 12 34 56 78', 'phone'],
    ['my number +44 7911 123456', 'phone'],
    ['رقمي ٠٦١٢٣٤٥٦٧٨', 'phone'],
    ['شماره من ۰۹۱۲۳۴۵۶۷۸۹', 'phone'],
    ['мій номер 067 123 45 67', 'phone'],
    ['0791 123 4567', 'phone'],
    ['write to lea.martin@example.fr', 'email'],
    ['see https://example.org/x', 'link'],
    ['www.leboncoin.fr', 'link'],
    ['t.me/lea_paris', 'link'],
    ['my telegram is @lea_paris', 'link'],
  ])('%s: %s', (text, kind) => {
    expect(contactDetailIn(text)).toBe(kind);
  });

  it.each(['Samedi à 10:30, le 12/05/2026 ?', 'I have 3 kids and 2 bikes', 'the sink is 1.5 m wide', 'بله فردا ساعت ۱۰', 'price 25 euros', 'Bonjour !', 'Message 1641 : samedi vers 10 h ?', 'Haus 1641, 2. Stock'])('%s: nothing', (text) => {
    expect(contactDetailIn(text)).toBeNull();
  });
});
