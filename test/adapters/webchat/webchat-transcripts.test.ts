import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../../support/test-app.ts';
import { storedPin } from '../../support/places.ts';

// Golden transcripts of the whole onboarding through the HTTP web-chat endpoint: each turn is
// what a person sends and exactly what the page receives (direction, text, buttons).
type Turn = [request: object, replies: [dir: 'ltr' | 'rtl', text: string, choices: string[]][]];

const LANGUAGE_BUTTONS = ['العربية', 'فارسی / دری', 'پښتو', 'Українська', 'ትግርኛ', 'Soomaali', 'Türkçe', 'Français', 'Español', 'English'];
const FIRST_SCREEN: Turn[1] = [
  [
    'ltr',
    '🌐 Choose your language\nChoisissez votre langue\nاختر لغتك\nزبان خود را انتخاب کنید\nخپله ژبه وټاکئ\nОберіть мову\nቋንቋኹም ምረጹ\nDooro luqaddaada\nDilinizi seçin\nElija su idioma',
    LANGUAGE_BUTTONS,
  ],
];

const arabic: Turn[] = [
  [{ start: true }, FIRST_SCREEN],
  [
    { choiceId: 'ar' },
    [
      [
        'rtl',
        'مرحبًا! أنا Passerelle، خدمة مساعدة يديرها متطوعون ومنظمات غير حكومية. لكي أساعدك، أحتفظ باسمك الأول ولغتك ودورك، ومدينتك إن أردت. لن أُظهر رقم هاتفك لأحد أبدًا. اكتب «انسني» في أي وقت لمسح كل شيء. هل توافق؟',
        ['أوافق', 'لا'],
      ],
    ],
  ],
  [{ text: 'أوافق' }, [['rtl', 'من أنت؟', ['وصلت حديثًا', 'من سكان المنطقة', 'أعمل في منظمة', 'أبحث عن موظفين']]]],
  [{ text: '١' }, [['rtl', 'ما اسمك الأول؟', []]]],
  [{ text: 'أمينة' }, [['rtl', 'أين أنت؟ شارك موقعك، أو اكتب اسم مدينتك أو الرمز البريدي. ويمكنك أيضًا تخطي هذه الخطوة.', ['تخطي']]]],
  [
    { location: { latitude: 36.2, longitude: 37.16 } },
    [
      ['rtl', 'أهلًا بك يا أمينة! تم تسجيلك.', []],
      ['rtl', 'القائمة: ماذا تريد أن تفعل؟', ['🤝 تبادل', 'العمل', 'الانضمام إلى منظمة', 'تغيير اللغة', 'بياناتي', 'مساعدة', 'محادثاتي', 'قنواتي']],
    ],
  ],
];

const french: Turn[] = [
  [{ start: true }, FIRST_SCREEN],
  [
    { text: 'francais' },
    [
      [
        'ltr',
        "Bonjour\u00a0! Je suis Passerelle, un service d'aide géré par des bénévoles et des ONG. Pour vous aider, je garde votre prénom, votre langue, votre rôle et, si vous le voulez, votre ville. Je ne montre jamais votre numéro de téléphone à personne. Écrivez «OUBLIER» à tout moment pour tout effacer. Êtes-vous d'accord\u00a0?",
        ["J'accepte", 'Non'],
      ],
    ],
  ],
  [{ choiceId: 'agree' }, [['ltr', 'Qui êtes-vous\u00a0?', ["Je viens d'arriver", "J'habite ici", 'Je travaille en ONG', 'Je recrute']]]],
  [{ text: "j'habite ici" }, [['ltr', 'Quel est votre prénom\u00a0?', []]]],
  [{ text: 'Amina' }, [['ltr', 'Où êtes-vous\u00a0? Partagez votre position, ou écrivez votre ville ou votre code postal. Vous pouvez aussi passer cette étape.', ['Passer']]]],
  [
    { text: 'Lyon' },
    [
      ['ltr', 'Bienvenue, Amina\u00a0! Votre inscription est terminée.', []],
      ['ltr', 'Menu\u00a0: que voulez-vous faire\u00a0?', ['🤝 Entraide', 'Emploi', 'Rejoindre une ONG', 'Changer de langue', 'Mes données', 'Aide', 'Mes conversations', 'Mes canaux']],
    ],
  ],
];

const ukrainian: Turn[] = [
  [{ start: true }, FIRST_SCREEN],
  [
    { text: '4' },
    [
      [
        'ltr',
        'Вітаю! Я Passerelle — помічник, яким керують волонтери та громадські організації. Щоб допомагати вам, я зберігаю ваше ім’я, мову, роль і, якщо хочете, ваше місто. Я ніколи нікому не показую ваш номер телефону. Будь-коли напишіть «ЗАБУДЬ», щоб усе видалити. Ви згодні?',
        ['Погоджуюся', 'Ні'],
      ],
    ],
  ],
  [{ text: '1' }, [['ltr', 'Хто ви?', ['Нещодавно в країні', 'Живу тут давно', 'Працюю в НУО', 'Шукаю працівників']]]],
  [{ choiceId: 'newcomer' }, [['ltr', 'Як вас звати?', []]]],
  [{ text: 'Оксана' }, [['ltr', 'Де ви зараз? Поділіться геолокацією або напишіть ваше місто чи поштовий індекс. Можна також пропустити.', ['Пропустити']]]],
  [
    { choiceId: 'skip' },
    [
      ['ltr', 'Вітаємо, Оксана! Ви зареєстровані.', []],
      ['ltr', 'Меню: що ви хочете зробити?', ['🤝 Обмін', 'Робота', 'Приєднатися до НУО', 'Змінити мову', 'Мої дані', 'Допомога', 'Мої розмови', 'Мої канали']],
    ],
  ],
];

let app: Awaited<ReturnType<typeof testApp>> | undefined;
afterEach(async () => {
  await app?.dispose();
  app = undefined;
});

async function play(userId: string, turns: Turn[]): Promise<void> {
  app = await testApp();
  for (const [body, expected] of turns) {
    const res = await request(app.http).post('/api/webchat/messages').send({ userId, ...body });
    expect(res.status).toBe(200);
    const got = (res.body as { replies: { dir: string; text: string; choices?: { label: string }[] }[] }).replies.map((r) => [
      r.dir,
      r.text,
      (r.choices ?? []).map((c) => c.label),
    ]);
    expect(got, JSON.stringify(body)).toEqual(expected);
  }
}

describe('onboarding through the web chat, as a person sees it', () => {
  it('in Arabic (right to left, Arabic-Indic digits, a shared pin)', async () => {
    await play('user-ar-0001', arabic);
    expect(await app!.store.people.findByAddress({ channel: 'webchat', id: 'user-ar-0001' })).toMatchObject({
      lang: 'ar',
      role: 'newcomer',
      firstName: 'أمينة',
      roleStatus: 'active',
      // Kept as the centre of its coarse cell, never the exact point.
      place: storedPin(36.2, 37.16),
      subscribed: true,
    });
  });

  it('in French (labels typed without accents or capitals, a typed town)', async () => {
    await play('user-fr-0001', french);
    expect(await app!.store.people.findByAddress({ channel: 'webchat', id: 'user-fr-0001' })).toMatchObject({
      lang: 'fr',
      role: 'resident',
      firstName: 'Amina',
      place: { type: 'typed', text: 'Lyon' },
    });
  });

  it('in Ukrainian (numbers typed, place skipped)', async () => {
    await play('user-uk-0001', ukrainian);
    expect(await app!.store.people.findByAddress({ channel: 'webchat', id: 'user-uk-0001' })).toMatchObject({
      lang: 'uk',
      role: 'newcomer',
      firstName: 'Оксана',
      place: null,
    });
  });

  it('declining consent keeps nothing about the person', async () => {
    app = await testApp();
    const send = (body: object) => request(app!.http).post('/api/webchat/messages').send({ userId: 'user-no-0001', ...body });
    await send({ start: true });
    await send({ choiceId: 'fr' });
    const res = await send({ choiceId: 'disagree' });
    expect(res.body.replies.map((r: { text: string }) => r.text)).toEqual([
      "D'accord, je n'ai rien gardé sur vous. Sans votre accord, je ne peux pas vous envoyer de nouvelles ni vous mettre en contact avec d'autres personnes. Vous pouvez revenir à tout moment.",
      'Voulez-vous continuer\u00a0?',
    ]);
    expect(await app.store.people.findByAddress({ channel: 'webchat', id: 'user-no-0001' })).toBeNull();
    // The page's stored conversation keeps only what came after the refusal: nothing they said.
    const history = await app.store.webchat.list('user-no-0001', { limit: 50 });
    expect(history.map((e) => [e.author, e.message.text])).toEqual(res.body.replies.map((r: { text: string }) => ['bot', r.text]));
  });
});
