import { describe, expect, it } from 'vitest';
import { locationText, mapLink } from '../../../core/pipeline/map-link.ts';
import { renderForChannel, splitText } from '../../../core/outbox/render-for-channel.ts';
import type { ChannelCapabilities } from '../../../core/ports/channel.port.ts';

const buttons: ChannelCapabilities = { maxButtons: 3, maxButtonLabel: 20, maxTextLength: 100, locationRequest: true };
const plain: ChannelCapabilities = { maxButtons: 0, maxButtonLabel: 0, maxTextLength: 100, locationRequest: false };

describe('rendering for a channel', () => {
  it('keeps buttons that fit and turns the others into a numbered list', () => {
    const choices = [
      { id: 'yes', label: 'Yes' },
      { id: 'no', label: 'No' },
    ];
    expect(renderForChannel({ type: 'choices', text: 'Agree?', choices }, buttons)).toEqual([{ type: 'choices', text: 'Agree?', choices }]);
    expect(renderForChannel({ type: 'choices', text: 'Agree?', choices }, plain)).toEqual([{ type: 'text', text: 'Agree?\n\n1. Yes\n2. No' }]);
    const many = ['a', 'b', 'c', 'd'].map((id) => ({ id, label: id.toUpperCase() }));
    expect(renderForChannel({ type: 'choices', text: 'Pick', choices: many }, buttons)).toEqual([{ type: 'text', text: 'Pick\n\n1. A\n2. B\n3. C\n4. D' }]);
  });

  it('asks for a pin where it can, else offers the skip choice', () => {
    const skip = { id: 'skip', label: 'Skip' };
    expect(renderForChannel({ type: 'location-request', text: 'Where?', skip }, buttons)).toEqual([{ type: 'location-request', text: 'Where?', skip }]);
    expect(renderForChannel({ type: 'location-request', text: 'Where?', skip }, plain)).toEqual([{ type: 'text', text: 'Where?\n\n1. Skip' }]);
  });

  it('passes a place through unchanged on every channel, even with a caption over the text limit', () => {
    const office = { type: 'location', text: 'Secours Populaire', latitude: 45.7578137, longitude: 4.8320114 } as const;
    expect(renderForChannel(office, buttons)).toEqual([office]);
    expect(renderForChannel(office, plain)).toEqual([office]);
    const long = { ...office, text: 'x'.repeat(150) };
    expect(renderForChannel(long, plain)).toEqual([long]);
    expect(renderForChannel({ ...office, text: '' }, plain)).toEqual([{ ...office, text: '' }]);
  });

  it('links a place to OpenStreetMap, in plain degrees, with its name above when it has one', () => {
    expect(mapLink(45.7578137, 4.8320114)).toBe('https://www.openstreetmap.org/?mlat=45.7578137&mlon=4.8320114#map=17/45.7578137/4.8320114');
    // Southern and western places, whole degrees, rounding past 7 decimals, and no "1e-7" exponent.
    expect(mapLink(-33.9, -70)).toBe('https://www.openstreetmap.org/?mlat=-33.9&mlon=-70#map=17/-33.9/-70');
    expect(mapLink(1e-7, -1e-9)).toBe('https://www.openstreetmap.org/?mlat=0.0000001&mlon=0#map=17/0.0000001/0');
    expect(mapLink(12.345678949, 0)).toBe('https://www.openstreetmap.org/?mlat=12.3456789&mlon=0#map=17/12.3456789/0');
    expect(locationText({ text: ' Secours Populaire ', latitude: 45.75, longitude: 4.83 })).toBe(
      'Secours Populaire\nhttps://www.openstreetmap.org/?mlat=45.75&mlon=4.83#map=17/45.75/4.83',
    );
    expect(locationText({ text: '', latitude: 45.75, longitude: 4.83 })).toBe('https://www.openstreetmap.org/?mlat=45.75&mlon=4.83#map=17/45.75/4.83');
  });

  it('splits long texts on lines, then sentences (Latin, Arabic, Ethiopic), then words; buttons stay on the last part', () => {
    const lines = `${'a'.repeat(60)}\n${'b'.repeat(60)}`;
    expect(splitText(lines, 100)).toEqual(['a'.repeat(60), 'b'.repeat(60)]);
    const arabic = `${'ك'.repeat(50)}؟ ${'ل'.repeat(60)}.`;
    expect(splitText(arabic, 100)).toEqual([`${'ك'.repeat(50)}؟`, `${'ل'.repeat(60)}.`]);
    const tigrinya = `${'ሀ'.repeat(50)}። ${'ለ'.repeat(60)}`;
    expect(splitText(tigrinya, 100)).toEqual([`${'ሀ'.repeat(50)}።`, 'ለ'.repeat(60)]);
    const words = Array.from({ length: 30 }, () => 'word').join(' ');
    expect(splitText(words, 100).every((p) => p.length <= 100 && !p.startsWith(' '))).toBe(true);
    expect(splitText('x'.repeat(250), 100)).toEqual(['x'.repeat(100), 'x'.repeat(100), 'x'.repeat(50)]);
    const parts = renderForChannel({ type: 'choices', text: lines, choices: [{ id: 'ok', label: 'OK' }] }, buttons);
    expect(parts).toEqual([
      { type: 'text', text: 'a'.repeat(60) },
      { type: 'choices', text: 'b'.repeat(60), choices: [{ id: 'ok', label: 'OK' }] },
    ]);
  });
});
