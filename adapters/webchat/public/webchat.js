// The web chat: plain script, no build step. Each message goes to POST /api/webchat/messages
// and the bot's replies come back in the answer. The user id stays in this browser only.
(() => {
  const log = document.getElementById('log');
  const choices = document.getElementById('choices');
  const form = document.getElementById('composer');
  const input = document.getElementById('text');
  const locate = document.getElementById('locate');
  const storageKey = 'passerelle.userId';
  let userId = localStorage.getItem(storageKey);
  if (!userId || !/^[A-Za-z0-9_-]{8,64}$/.test(userId)) {
    userId = 'web-' + crypto.randomUUID().replace(/-/g, '');
    localStorage.setItem(storageKey, userId);
  }

  function show(text, who, lang, dir) {
    const item = document.createElement('li');
    item.className = who;
    // Text only (never HTML from the server); web links, such as a place's map, become clickable.
    for (const part of text.split(/(https:\/\/[^\s]+)/)) {
      if (/^https:\/\//.test(part)) {
        const link = document.createElement('a');
        link.href = part;
        link.textContent = part;
        link.rel = 'noopener noreferrer';
        link.target = '_blank';
        item.appendChild(link);
      } else if (part) {
        item.appendChild(document.createTextNode(part));
      }
    }
    if (lang) item.lang = lang;
    if (dir) item.dir = dir;
    log.appendChild(item);
    item.scrollIntoView({ block: 'end' });
  }

  function showReplies(replies) {
    choices.replaceChildren();
    locate.hidden = true;
    for (const reply of replies) {
      document.documentElement.lang = reply.lang;
      document.documentElement.dir = reply.dir;
      show(reply.text, 'bot', reply.lang, reply.dir);
      if (reply.type === 'location-request') locate.hidden = !navigator.geolocation;
      for (const choice of reply.choices || []) {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = choice.label;
        button.dataset.choiceId = choice.id;
        button.addEventListener('click', () => {
          show(choice.label, 'me');
          send({ choiceId: choice.id });
        });
        choices.appendChild(button);
      }
    }
  }

  async function send(payload) {
    try {
      const response = await fetch('/api/webchat/messages', {
        method: 'POST',
        // The conversation's language, so that even a refusal (429) is worded in it.
        headers: { 'content-type': 'application/json', 'accept-language': document.documentElement.lang || 'en' },
        body: JSON.stringify({ userId, messageId: crypto.randomUUID(), ...payload }),
      });
      const body = await response.json();
      if (!response.ok) throw new Error(body.message || body.error || response.statusText);
      showReplies(body.replies);
    } catch (error) {
      show('⚠ ' + error.message, 'bot');
    }
  }

  // Broadcasts and answers from an organisation arrive outside our own turns: poll for them.
  async function poll() {
    try {
      const response = await fetch('/api/webchat/messages?userId=' + encodeURIComponent(userId), { cache: 'no-store' });
      if (!response.ok) return;
      const body = await response.json();
      for (const reply of body.replies) show(reply.text, 'bot', undefined, 'auto');
    } catch {
      // Offline for a moment: the next poll catches up.
    }
  }
  setInterval(poll, 15000);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim()) return;
    input.value = '';
    show(text, 'me');
    send({ text });
  });

  locate.addEventListener('click', () => {
    navigator.geolocation.getCurrentPosition((position) => {
      show('📍', 'me');
      send({ location: { latitude: position.coords.latitude, longitude: position.coords.longitude } });
    });
  });

  send({ start: true });
})();
