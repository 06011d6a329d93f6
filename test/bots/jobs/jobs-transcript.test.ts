import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOT_API_ERRORS } from '../../fakes/telegram-bot-api.ts';
import { text as waTextBody } from '../../adapters/whatsapp-cloud/whatsapp-cloud.fixtures.ts';
import { CANDIDATE_WA, RECRUITER, fr, jobsProduct, ps, recruiterSignsUp, tgTexts, wa, waTexts } from './jobs-transcript.harness.ts';

let p: Awaited<ReturnType<typeof jobsProduct>>;
beforeEach(async () => {
  p = await jobsProduct();
});
afterEach(async () => p.dispose());

/** The recruiter posts a job for a cook in Lyon needing French B1, in chat. */
async function recruiterPostsCookJob() {
  expect(tgTexts(await p.recruiter(fr('menu:work')))).toEqual([fr('jobs:recruiterHub')]);
  expect(tgTexts(await p.recruiter(fr('jobs:postJob')))).toEqual([fr('jobs:askTitle')]);
  expect(tgTexts(await p.recruiter('Cuisinier'))).toEqual([fr('jobs:askDescription')]);
  await p.recruiter('Cuisine du midi pour 30 couverts, produits frais.');
  await p.recruiter(fr('jobs:group.food'));
  expect(tgTexts(await p.recruiter(fr('jobs:occ.cook')))).toEqual([fr('jobs:askJobPlace')]);
  await p.recruiter('Lyon');
  await p.recruiter(fr('jobs:contract.permanent'));
  expect(tgTexts(await p.recruiter('35'))).toEqual([fr('jobs:askNeedsLanguage')]);
  await p.recruiter(fr('jobs:yes'));
  await p.recruiter('français');
  await p.recruiter(fr('jobs:level.B1'));
  expect(tgTexts(await p.recruiter(fr('jobs:no')))).toEqual([fr('jobs:askJobSkills')]);
  await p.recruiter('1');
  await p.recruiter(fr('jobs:done'));
  await p.recruiter(fr('jobs:skip'));
  expect(tgTexts(await p.recruiter('2027-03-31'))).toEqual([fr('jobs:posted', { title: 'Cuisinier' }), fr('jobs:recruiterHub')]);
}

/** The candidate on WhatsApp writing Pashto: signs up, then builds the profile of the issue's transcript. */
async function candidateBuildsProfile() {
  await p.candidate(wa.text('سلام'));
  await p.candidate(wa.list('ps'));
  await p.candidate(wa.button('agree'));
  await p.candidate(wa.list('newcomer'));
  await p.candidate(wa.text('احمد'));
  expect(waTexts(await p.candidate(wa.button('skip')))).toEqual([ps('onboarding:welcome', { firstName: 'احمد' }), expect.stringContaining(ps('menu:title'))]);
  expect(waTexts(await p.candidate(wa.list('work')))).toEqual([ps('jobs:profileIntro'), expect.stringContaining(ps('jobs:askGroup'))]);
  await p.candidate(wa.text('1')); // food
  expect(waTexts(await p.candidate(wa.list('cook')))).toEqual([ps('jobs:askYears')]);
  expect(waTexts(await p.candidate(wa.text('۶')))).toEqual([ps('jobs:askMoreOccupations')]);
  expect(waTexts(await p.candidate(wa.button('no')))).toEqual([ps('jobs:askSkills')]);
  await p.candidate(wa.list('cooking'));
  await p.candidate(wa.list('done'));
  expect(waTexts(await p.candidate(wa.button('skip')))).toEqual([expect.stringContaining(ps('jobs:askLanguage'))]);
  // Dari and Pashto native, French from the self-check (yes, then "a little": B1).
  for (const number of ['8', '۹']) {
    await p.candidate(wa.text(number));
    await p.candidate(wa.text('1')); // native
    await p.candidate(wa.button('yes'));
  }
  await p.candidate(wa.text('1')); // French
  expect(waTexts(await p.candidate(wa.text('3')))).toEqual([ps('jobs:canDo1')]);
  expect(waTexts(await p.candidate(wa.list('yes')))).toEqual([ps('jobs:canDo2')]);
  expect(waTexts(await p.candidate(wa.list('little')))).toEqual([ps('jobs:askMoreLanguages')]);
  await p.candidate(wa.button('no'));
  // A cook's diploma from Afghanistan, its recognition unknown.
  await p.candidate(wa.button('yes'));
  await p.candidate(wa.list('vocational'));
  await p.candidate(wa.text('آشپزي'));
  await p.candidate(wa.list('AF'));
  await p.candidate(wa.text('2015'));
  await p.candidate(wa.button('yes'));
  await p.candidate(wa.list('unknown'));
  await p.candidate(wa.button('no'));
  await p.candidate(wa.button('now'));
  // A pin in Villeurbanne: kept as its coarse cell, about 4 km from Lyon's.
  await p.candidate(wa.location(45.7719, 4.8902));
  // The right to work: explained, consent asked, then answered "no" (and never shared below).
  expect(waTexts(await p.candidate(wa.text('30')))).toEqual([ps('jobs:rightToWorkWhy'), ps('jobs:askRightToWorkConsent')]);
  expect(waTexts(await p.candidate(wa.button('yes')))).toEqual([ps('jobs:askRightToWork')]);
  await p.candidate(wa.button('no'));
  await p.candidate(wa.button('yes')); // visible
  expect(waTexts(await p.candidate(wa.button('yes')))).toEqual([ps('jobs:profileSaved'), expect.stringContaining(ps('jobs:hub'))]);
}

describe('jobs across channels and languages (the issue transcript)', () => {
  it('recruiter on Telegram in French, candidate on WhatsApp in Pashto: post, profile, match, apply, read, shortlist, withdraw', async () => {
    await recruiterSignsUp(p);
    // Approval through the admin API, scoped to the employer: another organisation's key gets 404.
    const pending = await p.admin(p.employer.apiKey).get('/api/people/pending');
    expect(pending.body).toEqual({ people: [{ id: expect.any(String), role: 'recruiter', firstName: 'Claire', createdAt: expect.any(String) }] });
    expect((await p.admin(p.other.apiKey).get('/api/people/pending')).body).toEqual({ people: [] });
    const recruiterId = (pending.body as { people: { id: string }[] }).people[0]!.id;
    expect((await p.admin(p.other.apiKey).post(`/api/people/${recruiterId}/approve`)).status).toBe(404);
    const beforeApproval = p.api.sentMessages().length;
    expect((await p.admin(p.employer.apiKey).post(`/api/people/${recruiterId}/approve`)).body).toEqual({ id: recruiterId, role: 'recruiter', roleStatus: 'active' });
    await p.settle();
    expect(p.api.sentMessages().slice(beforeApproval)).toEqual([{ chat_id: RECRUITER.id, text: fr('jobs:approved', { org: 'Bistro Lumière' }) }]);

    await recruiterPostsCookJob();
    await candidateBuildsProfile();
    const [job] = await p.app.store.jobs.listJobs(p.employer.id);

    // "Jobs for me": the job first, with its reason; title and description translated once into Pashto (no tag handling).
    const title = '[ps] Cuisinier';
    const reason = ps('jobs:reason', { parts: `${ps('jobs:occ.cook')}, ${new Intl.DisplayNames(['ps'], { type: 'language' }).of('fr')} B1, ${ps('common:places.aboutKm', { km: 4 })}` });
    const listed = `${ps('jobs:jobsForMe', { found: { text: `1. ${title} – Lyon\n${reason}` } })}\n\n1. ${title} – Lyon\n2. ${ps('jobs:back')}`;
    expect(await p.candidate(wa.list('for-me'))).toEqual([waTextBody(listed, CANDIDATE_WA)]);
    expect(p.translated.seen.map((s) => ({ texts: s.texts, target: s.form.get('target_lang'), source: s.form.get('source_lang'), tags: s.form.get('tag_handling') }))).toEqual([
      { texts: ['Cuisinier', 'Cuisine du midi pour 30 couverts, produits frais.'], target: 'ps', source: 'fr', tags: null },
    ]);
    expect(waTexts(await p.candidate(wa.list(job!.id)))).toEqual([expect.stringContaining('[ps] Cuisine du midi pour 30 couverts, produits frais.')]);
    expect(waTexts(await p.candidate(wa.button('apply')))).toEqual([ps('jobs:askMotivation')]);
    const motivation = 'زه شپږ کاله آشپز یم او فرانسوي ژبه زده کوم.';
    expect(waTexts(await p.candidate(wa.text(motivation)))).toEqual([ps('jobs:askShareRightToWork')]);

    // Faults: Telegram answers 429 to the recruiter's notice, and Meta delivers the "no" twice.
    p.api.failNext('sendMessage', BOT_API_ERRORS.tooManyRequests(1));
    const beforeApply = p.api.sentMessages().length;
    expect(waTexts(await p.candidate(wa.button('no')))).toEqual([ps('jobs:applied'), expect.stringContaining(ps('jobs:hub'))]);
    expect(await p.candidate(wa.button('no'), p.lastWamid)).toEqual([]);
    await p.settle();
    const notices = p.api.sentMessages().slice(beforeApply);
    expect(notices).toEqual([{ chat_id: RECRUITER.id, text: fr('jobs:newApplications', { count: 1, title: 'Cuisinier' }) }]);
    expect(await p.app.store.jobs.applicationsOfJob(job!.id)).toHaveLength(1);

    // The recruiter reads the short CV in French: first name only, the motivation machine-translated, the original on request, no right to work.
    await p.recruiter(fr('jobs:myJobs'));
    await p.recruiter('Cuisinier (ouverte)');
    const cvText = [
      'احمد',
      `${fr('jobs:occ.cook')} : 6 ans`,
      `Compétences : ${fr('jobs:skill.cooking')}`,
      'Langues : dari langue maternelle, pachto langue maternelle, français B1',
      // Her own words (the field she typed) translated for the recruiter with her motivation, in one request.
      'Formation : Formation professionnelle, [fr] آشپزي, Afghanistan, 2015, terminé, reconnu : ne sait pas',
      'Disponible : Tout de suite',
      `Candidature : ${fr('jobs:status.applied')}`,
      `Message : [fr] ${motivation}`,
    ].join('\n');
    const [cv] = await p.recruiter('1');
    expect(cv).toMatchObject({ chat_id: RECRUITER.id, text: cvText });
    expect(cv!['text']).not.toContain(fr('jobs:part.rightToWork'));
    expect(tgTexts(await p.recruiter(fr('jobs:original')))).toEqual([`Original : ${motivation}`, cvText]);
    expect(p.translated.seen.at(-1)!.texts).toEqual([motivation, 'آشپزي']);
    expect(p.translated.seen.at(-1)!.form.get('source_lang')).toBe('ps');

    // Shortlisted: the applicant hears it in Pashto, with the title as translated for them.
    const shortlisted = await p.recruiter(fr('jobs:shortlist'));
    expect(tgTexts(shortlisted)[0]).toBe(fr('jobs:decisionSent'));
    await p.settle();
    expect(p.graph.bodies.at(-1)).toEqual(waTextBody(ps('jobs:told.shortlisted', { title, employer: 'Bistro Lumière' }), CANDIDATE_WA));

    // The recruiter writes twice through the relay; the applicant, at the menu, opens it, reads both in Pashto and answers.
    await p.candidate(wa.text('مینو'));
    const header = (lang: string) => (lang === 'fr' ? 'Cuisinier · Bistro Lumière' : `${title} · Bistro Lumière`);
    const [talk] = await p.recruiter(fr('jobs:write'));
    expect(talk!['text']).toContain(header('fr'));
    expect(talk!['text']).toContain('احمد');
    const messages = ['Bonjour Ahmad, pouvez-vous venir mardi ?', 'Apportez votre diplôme.'];
    expect(await p.recruiter(messages[0]!)).toEqual([]);
    // A fault on the way: Graph answers 429 (throughput) to the next send; the message still arrives once.
    p.graph.failNext(130429);
    expect(await p.recruiter(messages[1]!)).toEqual([]);
    const opened = await p.candidate(wa.button('open'));
    expect(waTexts(opened)[0]).toBe(messages.map((m) => `Claire: [ps] ${m}`).join('\n'));
    const answer = 'هو، سه شنبه راځم.';
    expect(await p.candidate(wa.text(answer))).toEqual([]);
    expect(p.api.sentMessages().at(-1)).toEqual({ chat_id: RECRUITER.id, text: `💬 احمد · ${header('fr')} :\n[fr] ${answer}` });
    const relayed = p.translated.seen.slice(-3).map((s) => ({ target: s.form.get('target_lang'), source: s.form.get('source_lang'), texts: s.texts, tags: s.form.get('tag_handling') }));
    expect(relayed).toEqual([
      { target: 'ps', source: 'fr', texts: [messages[0]], tags: null },
      { target: 'ps', source: 'fr', texts: [messages[1]], tags: null },
      { target: 'fr', source: 'ps', texts: [answer], tags: null },
    ]);
    expect(p.graph.all.length).toBeGreaterThan(p.graph.delivered.length);
    expect(JSON.stringify(p.graph.delivered).split(messages[1]!).length - 1).toBe(1);

    // The applicant withdraws; the recruiter's view says so.
    await p.candidate(wa.text('#مینو'));
    await p.candidate(wa.button('later'));
    await p.candidate(wa.list('work'));
    await p.candidate(wa.list('applications'));
    const [application] = await p.app.store.jobs.applicationsOfJob(job!.id);
    await p.candidate(wa.list(application!.id));
    expect(waTexts(await p.candidate(wa.list('withdraw')))[0]).toBe(ps('jobs:withdrawn'));
    await p.recruiter('#menu');
    await p.recruiter(fr('menu:work'));
    await p.recruiter(fr('jobs:myJobs'));
    // The job's list of applications (buttons) shows it withdrawn; opening it says nothing more.
    expect(JSON.stringify(await p.recruiter('Cuisinier (ouverte)'))).toContain(`احمد: ${fr('jobs:status.withdrawn')}`);
    expect(tgTexts(await p.recruiter('1'))).toEqual([fr('jobs:applicantWithdrew')]);

    // Nothing one side received names the other's phone number or chat id.
    const toRecruiter = JSON.stringify(p.api.sentMessages());
    expect(toRecruiter).not.toContain(CANDIDATE_WA);
    expect(JSON.stringify(p.graph.bodies)).not.toContain(String(RECRUITER.id));
  });
});
