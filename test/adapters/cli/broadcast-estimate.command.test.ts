import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../adapters/cli/cli.ts';
import { createOrg } from '../../support/organisations.ts';
import { testApp } from '../../support/test-app.ts';

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

describe('broadcast:estimate', () => {
  it('prints the SMS segments and cost per language before a broadcast is sent', async () => {
    app = await testApp();
    const org = await createOrg(app.store, { code: 'secours', name: 'Secours', lang: 'fr' });
    const sms = (phone: string, lang: string) => ({ firstName: 'Ali', phone, lang, channel: 'sms' as const, address: { channel: 'sms' as const, id: phone }, tags: [] });
    await app.store.contacts.importMany(
      org.id,
      [sms('+33611000001', 'fr'), sms('+33611000002', 'fr'), sms('+33611000003', 'ar'), { ...sms('+33611000004', 'fr'), channel: 'whatsapp-cloud', address: { channel: 'whatsapp-cloud', id: '33611000004' } }],
      () => crypto.randomUUID(),
      new Date(),
    );
    let out = '';
    const env = { DATA_DIR: app.dataDir, LOG_LEVEL: 'silent', SMS_PRICE_PER_SEGMENT: '0.05', SMS_PRICE_CURRENCY: 'EUR' };
    const code = await runCli(['broadcast:estimate', '--org', 'secours', '--text', 'Distribution demain à 10 h.', '--lang', 'fr'], { out: { write: (s: string) => (out += s) }, err: { write: () => 0 } }, { env });
    expect(code).toBe(0);
    // French is GSM-7 in one segment; Arabic gets the French text with a note, UCS-2 in two.
    expect(out.split('\n')).toEqual([
      'lang  recipients  encoding  segments/copy  segments  cost (EUR)',
      'ar    1           UCS-2     2              2         0.100',
      'fr    2           GSM-7     1              2         0.100',
      'total: 3 SMS recipient(s), 4 segment(s), 0.200 EUR at 0.05 per segment',
      '',
    ]);
    expect(await runCli(['broadcast:estimate', '--org', 'nobody', '--text', 'x'], { out: { write: () => 0 }, err: { write: (s: string) => (out = s) } }, { env })).toBe(1);
    expect(out).toContain('no organisation with code "nobody"');
  });
});
