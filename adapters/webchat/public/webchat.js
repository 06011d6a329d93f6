// The web chat: plain script, no build step. The conversation is kept on the server (it follows
// the user id, which stays in this browser only): the page reads it on load, sends each message
// to POST /api/webchat/messages, and hears of new ones by server-sent events (polling if those
// fail). Text only, never HTML from the server.
(() => {
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const choices = $('choices');
  const form = $('composer');
  const input = $('text');
  const locate = $('locate');
  const send = $('send');
  const params = new URLSearchParams(location.search);
  const org = /^[A-Za-z0-9_-]{1,64}$/.test(params.get('org') || '') ? params.get('org') : null;
  const keyId = 'passerelle.userId';
  const keyLang = 'passerelle.lang';
  let userId = localStorage.getItem(keyId);
  if (!userId || !/^[A-Za-z0-9_-]{8,64}$/.test(userId)) {
    userId = 'web-' + crypto.randomUUID().replace(/-/g, '');
    localStorage.setItem(keyId, userId);
  }

  let strings = {};
  let lang = localStorage.getItem(keyLang) || (navigator.language || 'en').slice(0, 2);
  let newest = 0; // the highest cursor shown
  let busy = false;
  const seen = new Set();

  // Used only when the page's words could not be loaded (offline on load).
  const FALLBACK = { offline: 'Not sent: no connection.', failed: 'Something went wrong.', retry: 'Try again', locationDenied: 'Location is not allowed.' };
  const t = (key) => (strings[lang] && strings[lang][key]) || (strings.en && strings.en[key]) || FALLBACK[key] || '';

  /** The page speaks the language of the bot's last message: its words, direction and arrow. */
  function setLanguage(next) {
    if (!next) return;
    lang = next;
    localStorage.setItem(keyLang, lang);
    const words = strings[lang];
    document.documentElement.lang = lang;
    document.documentElement.dir = words ? words.dir : lang === 'ar' || lang === 'fa' || lang === 'ps' ? 'rtl' : 'ltr';
    if (!words) return;
    input.placeholder = t('placeholder');
    input.setAttribute('aria-label', t('message'));
    send.setAttribute('aria-label', t('send'));
    locate.setAttribute('aria-label', t('location'));
    log.setAttribute('aria-label', t('conversation'));
  }

  const TRAILING = /[.,;:!?»"'’”…،؛。)\]]$/;
  /** A web link without the punctuation that follows it; a closing bracket stays if it opened inside. */
  function splitLink(raw) {
    let url = raw;
    let tail = '';
    while (TRAILING.test(url)) {
      const last = url.slice(-1);
      if (last === ')' && (url.match(/\(/g) || []).length >= (url.match(/\)/g) || []).length) break;
      if (last === ']' && (url.match(/\[/g) || []).length >= (url.match(/\]/g) || []).length) break;
      tail = last + tail;
      url = url.slice(0, -1);
    }
    return [url, tail];
  }

  function fill(item, text) {
    for (const part of text.split(/(https:\/\/[^\s]+)/)) {
      if (!part) continue;
      if (!part.startsWith('https://')) {
        item.appendChild(document.createTextNode(part));
        continue;
      }
      const [url, tail] = splitLink(part);
      const link = document.createElement('a');
      link.href = url;
      link.textContent = url;
      link.rel = 'noopener noreferrer';
      link.target = '_blank';
      link.dir = 'ltr';
      item.appendChild(link);
      if (tail) item.appendChild(document.createTextNode(tail));
    }
  }

  function stamp(item, at) {
    const time = document.createElement('time');
    const date = at ? new Date(at) : new Date();
    time.dateTime = date.toISOString();
    time.textContent = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(date);
    item.appendChild(time);
  }

  /** Puts a bubble in cursor order (the answer and the event stream may bring one out of turn). */
  function place(item, cursor) {
    if (cursor == null) return log.appendChild(item);
    item.dataset.cursor = String(cursor);
    let before = null;
    for (let node = log.lastElementChild; node; node = node.previousElementSibling) {
      if (node.dataset.cursor && Number(node.dataset.cursor) > cursor) before = node;
      else if (node.dataset.cursor) break;
    }
    log.insertBefore(item, before);
  }

  function bubble(text, who, entryLang, dir, at, cursor) {
    const item = document.createElement('li');
    item.className = who;
    if (entryLang) item.lang = entryLang;
    item.dir = dir || 'auto';
    fill(item, text);
    stamp(item, at);
    place(item, cursor);
    keepTypingLast();
    scrollDown();
    return item;
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function showChoices(list, entryLang, dir) {
    choices.replaceChildren();
    choices.lang = entryLang || '';
    choices.dir = dir || 'auto';
    const numbers = new Intl.NumberFormat(entryLang || lang);
    list.forEach((choice, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = choice.label;
      button.dataset.choiceId = choice.id;
      button.dataset.n = numbers.format(i + 1);
      button.disabled = busy;
      button.addEventListener('click', () => submit({ choiceId: choice.id, label: choice.label }, choice.label));
      choices.appendChild(button);
    });
  }

  /** Shows one message from the history, the answer or the stream, once. */
  function render(entry) {
    if (entry.cursor != null) {
      if (seen.has(entry.cursor)) return;
      seen.add(entry.cursor);
    }
    if (entry.author === 'person') {
      const mine = entry.clientId && log.querySelector(`li.me[data-client-id="${CSS.escape(entry.clientId)}"]`);
      if (mine) {
        if (entry.cursor != null) mine.dataset.cursor = String(entry.cursor);
        return;
      }
      bubble(entry.text, 'me', null, 'auto', entry.at, entry.cursor);
      return;
    }
    bubble(entry.text, 'bot', entry.lang, entry.dir, entry.at, entry.cursor);
    // Only the newest message's buttons are the ones to answer.
    if (entry.cursor == null || entry.cursor >= newest) {
      setLanguage(entry.lang);
      if (entry.type === 'choices' || entry.type === 'location-request') showChoices(entry.choices || [], entry.lang, entry.dir);
      else choices.replaceChildren();
      locate.hidden = !(entry.type === 'location-request' && navigator.geolocation);
    }
    if (entry.cursor != null) newest = Math.max(newest, entry.cursor);
  }

  let typing = null;
  function keepTypingLast() {
    if (typing) log.appendChild(typing);
  }
  function setBusy(on) {
    busy = on;
    for (const b of choices.querySelectorAll('button')) b.disabled = on;
    send.disabled = on;
    locate.disabled = on;
    if (on && !typing) {
      typing = document.createElement('li');
      typing.className = 'bot typing';
      typing.setAttribute('aria-label', t('typing'));
      typing.append(document.createElement('span'), document.createElement('span'), document.createElement('span'));
      log.appendChild(typing);
      scrollDown();
    } else if (!on && typing) {
      typing.remove();
      typing = null;
    }
  }

  /** Shows a failure with a retry button: the page's own words, or what the server said (a 429). */
  function showError(key, retry, said) {
    const item = document.createElement('li');
    item.className = 'error';
    item.lang = lang;
    item.dir = document.documentElement.dir;
    item.textContent = said || t(key);
    if (retry) {
      const again = document.createElement('button');
      again.type = 'button';
      again.textContent = t('retry');
      again.addEventListener('click', () => {
        item.remove();
        retry();
      });
      item.append(' ', again);
    }
    log.appendChild(item);
    scrollDown();
  }

  async function post(payload, mine) {
    setBusy(true);
    try {
      const response = await fetch('/api/webchat/messages', {
        method: 'POST',
        // The conversation's language, so that a refusal (429: too fast) is worded in it.
        headers: { 'content-type': 'application/json', 'accept-language': lang },
        body: JSON.stringify({ userId, ...payload }),
      });
      if (!response.ok) {
        const refusal = response.status === 429 ? await response.json().catch(() => null) : null;
        throw Object.assign(new Error(`HTTP ${response.status}`), { said: refusal && refusal.message });
      }
      const body = await response.json();
      if (mine) mine.classList.remove('failed');
      for (const reply of body.replies) render(reply);
      // A retried message the server had already answered: its replies are in the history.
      if (body.replies.length === 0) await catchUp();
    } catch (error) {
      if (mine) mine.classList.add('failed');
      setBusy(false);
      showError(error instanceof TypeError ? 'offline' : 'failed', () => post(payload, mine), error.said);
      return false;
    }
    setBusy(false);
    return true;
  }

  /** Sends what the person typed or tapped; a second tap while one is on its way does nothing. */
  function submit(payload, shown) {
    if (busy) return;
    const messageId = crypto.randomUUID();
    const mine = bubble(shown, 'me', null, 'auto');
    mine.dataset.clientId = messageId;
    post({ ...payload, messageId }, mine);
  }

  async function catchUp() {
    const response = await fetch(`/api/webchat/messages?userId=${encodeURIComponent(userId)}&after=${newest}&limit=100`, { cache: 'no-store' });
    if (!response.ok) return;
    for (const entry of (await response.json()).entries) render(entry);
  }

  /** New messages (a broadcast, an organisation's answer) are pushed; polling only when that fails. */
  function listen() {
    let polling = null;
    const poll = () => {
      if (!polling) polling = setInterval(() => catchUp().catch(() => undefined), 10000);
    };
    if (!window.EventSource) return poll();
    const events = new EventSource(`/api/webchat/events?userId=${encodeURIComponent(userId)}&after=${newest}`);
    events.addEventListener('message', (event) => render(JSON.parse(event.data)));
    events.addEventListener('open', () => {
      clearInterval(polling);
      polling = null;
    });
    events.addEventListener('error', () => {
      if (events.readyState === EventSource.CLOSED) poll();
    });
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || busy) return;
    input.value = '';
    submit({ text }, text);
  });

  locate.addEventListener('click', () => {
    if (busy) return;
    navigator.geolocation.getCurrentPosition(
      (position) => submit({ location: { latitude: position.coords.latitude, longitude: position.coords.longitude } }, '📍'),
      () => {
        showError('locationDenied');
        input.focus();
      },
      { timeout: 15000 },
    );
  });

  async function start() {
    setLanguage(lang);
    try {
      strings = await (await fetch('/api/webchat/strings')).json();
      setLanguage(strings[lang] ? lang : 'en');
    } catch {
      // The page still works with its English words.
    }
    let history = [];
    try {
      const response = await fetch(`/api/webchat/messages?userId=${encodeURIComponent(userId)}&limit=50`, { cache: 'no-store' });
      if (response.ok) history = (await response.json()).entries;
    } catch {
      // Offline on load: the start request below says so, with a retry.
    }
    for (const entry of history) render(entry);
    listen();
    // A new visitor, or one who came from an organisation's site for the first time (its code
    // makes them join; later visits just carry on).
    const joinedKey = 'passerelle.joined.' + org;
    const joining = org && !localStorage.getItem(joinedKey);
    if (history.length === 0 || joining) {
      const answered = await post(joining ? { start: true, payload: org } : { start: true }, null);
      if (joining && answered) localStorage.setItem(joinedKey, '1');
    }
  }

  start();
})();
