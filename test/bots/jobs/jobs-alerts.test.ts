import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../../core/ports/people.port.ts';
import { CANDIDATE_WA, jobsProduct, ps, wa, waTexts } from './jobs-transcript.harness.ts';
import { alertableCook } from './jobs-harness.ts';

let p: Awaited<ReturnType<typeof jobsProduct>>;
beforeEach(async () => {
  p = await jobsProduct();
});
afterEach(async () => p.dispose());


/** A person with a visible cook's profile near Lyon, alerts on (or off), written in Pashto. */
function candidate(id: string, waId: string, alerts: boolean): Promise<Person> {
  return alertableCook(p.app, p.clock.now().toISOString(), id, waId, alerts);
}

const job = (title: string) => ({
  title,
  description: 'Cuisine du midi.',
  occupation: { id: 'cook' },
  place: { town: 'Lyon' },
  contract: 'permanent',
  hoursPerWeek: 35,
  languages: [{ lang: 'fr', level: 'B1' }],
  skills: ['cooking'],
  closesAt: '2027-03-31',
});

describe('job alerts', () => {
  it('three new matching jobs in one day make one notice (a 429 on the way); "stop alerts" stops them', async () => {
    await candidate('p-ahmad', CANDIDATE_WA, true);
    await candidate('p-quiet', '33755509999', false);
    // The candidate wrote today: their WhatsApp window is open.
    expect(waTexts(await p.candidate(wa.text('سلام')))).toEqual([expect.stringContaining(ps('menu:title'))]);
    p.graph.failNext(130429);
    for (const title of ['Cuisinier', 'Cuisinier de nuit', 'Second de cuisine']) {
      expect((await p.admin(p.employer.apiKey).post('/api/jobs', job(title))).status).toBe(201);
    }
    await p.settle();
    const alerts = p.graph.delivered.filter((b) => JSON.stringify(b).includes(ps('jobs:alertStop', { words: '' }).slice(0, 12)));
    expect(alerts).toHaveLength(1);
    const reason = `${ps('jobs:reason', { parts: `${ps('jobs:occ.cook')}, ${new Intl.DisplayNames(['ps'], { type: 'language' }).of('fr')} B1, ${ps('common:places.aboutKm', { km: 2 })}` })}`;
    expect(alerts[0]).toMatchObject({ to: CANDIDATE_WA, text: { body: `${ps('jobs:alert', { title: '[ps] Cuisinier', reason })}\n${ps('jobs:alertStop', { words: 'خبرتیاوې بندې' })}` } });
    expect(p.graph.all.length).toBe(p.graph.delivered.length + 1);
    // Nobody else: the quiet profile has alerts off.
    expect(new Set(p.graph.delivered.map((b) => (b as { to: string }).to))).toEqual(new Set([CANDIDATE_WA]));

    // "stop alerts" in Pashto, at the menu: off, said in Pashto.
    expect(waTexts(await p.candidate(wa.text('خبرتیاوې بندې')))).toEqual([ps('jobs:alertsNowOff'), expect.stringContaining(ps('menu:title'))]);
    expect((await p.app.store.jobs.getProfile('p-ahmad'))?.alerts).toBe(false);
    // The next day a new job would be worth a notice: none comes.
    p.clock.advance(25 * 3_600_000);
    await p.candidate(wa.text('سلام'));
    p.graph.bodies.length = 0;
    expect((await p.admin(p.employer.apiKey).post('/api/jobs', job('Chef de partie'))).status).toBe(201);
    await p.settle();
    expect(p.graph.bodies).toEqual([]);
  });
});
