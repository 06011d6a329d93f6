import { describe, expect, it } from 'vitest';
import { measureSms, smsFriendly, smsSegments } from '../../../core/text/sms-segments.ts';

describe('SMS segments', () => {
  it('counts GSM-7: 160 in one SMS, then 153 per part', () => {
    expect(measureSms('a'.repeat(160))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('a'.repeat(161))).toBe(2);
    expect(smsSegments('a'.repeat(306))).toBe(2);
    expect(smsSegments('a'.repeat(307))).toBe(3);
    expect(smsSegments('')).toBe(1);
  });

  it('counts the extension table twice and never splits an escape across parts', () => {
    expect(measureSms('€'.repeat(80))).toEqual({ encoding: 'GSM-7', segments: 1, units: 160 });
    expect(smsSegments('€'.repeat(81))).toBe(2);
    // 152 plain + one € (2 septets) does not fit a 153-septet part: the € opens the next one.
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(10)}`)).toBe(2);
    expect(smsSegments(`${'a'.repeat(152)}€${'a'.repeat(152)}`)).toBe(3);
    expect(measureSms('{[~]}|^\\').units).toBe(16);
  });

  it('counts any other script as UCS-2: 70, then 67 per part, surrogate pairs whole', () => {
    expect(measureSms('س'.repeat(70))).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments('س'.repeat(71))).toBe(2);
    expect(smsSegments('ж'.repeat(134))).toBe(2);
    expect(smsSegments('ሰ'.repeat(135))).toBe(3);
    // One emoji turns a Latin text UCS-2; two units each, never cut in half.
    expect(measureSms(`${'a'.repeat(68)}👍`)).toEqual({ encoding: 'UCS-2', segments: 1, units: 70 });
    expect(smsSegments(`${'a'.repeat(66)}👍${'a'.repeat(66)}`)).toBe(3);
  });

  it('folds typography to GSM-7 look-alikes only when the whole text then is GSM-7', () => {
    expect(smsFriendly('D’accord\u00a0: «MENU» – prêt…')).toBe('D\'accord : "MENU" - pret...');
    expect(smsSegments(smsFriendly(`${'Écrivez «OUBLIER»\u00a0! '.repeat(7)}`))).toBe(1);
    expect(smsFriendly('اكتب «قائمة»')).toBe('اكتب «قائمة»');
    expect(smsFriendly('Hello')).toBe('Hello');
    expect(smsFriendly('🔔 Amina would like to talk.\n✅ Yes 👍🏽')).toBe('Amina would like to talk.\nYes');
    expect(smsFriendly('💬 رسالة')).toBe('💬 رسالة');
  });
});
