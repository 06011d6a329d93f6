// Passerelle on an organisation's own website, with one tag:
//   <script src="https://chat.example.org/embed.js" data-org="CODE" async></script>
// A round button opens the chat in a panel (an iframe of this server); people who start there
// join the organisation whose code is given. Nothing of the host page is read.
(() => {
  const script = document.currentScript;
  if (!script) return;
  const base = new URL(script.src);
  const code = script.dataset.org || '';
  const src = new URL('/', base);
  if (/^[A-Za-z0-9_-]{1,64}$/.test(code)) src.searchParams.set('org', code);
  const button = document.createElement('button');
  button.type = 'button';
  button.setAttribute('aria-label', 'Passerelle');
  button.setAttribute('aria-expanded', 'false');
  button.textContent = '💬';
  button.style.cssText = 'position:fixed;bottom:16px;right:16px;z-index:2147483646;width:56px;height:56px;border:0;border-radius:50%;background:#1d5c63;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.3)';
  let frame = null;
  button.addEventListener('click', () => {
    if (!frame) {
      frame = document.createElement('iframe');
      frame.src = src.href;
      frame.title = 'Passerelle';
      frame.allow = 'geolocation';
      frame.style.cssText = 'position:fixed;bottom:84px;right:16px;z-index:2147483647;width:min(380px,calc(100vw - 32px));height:min(600px,calc(100vh - 100px));border:0;border-radius:12px;box-shadow:0 4px 24px rgba(0,0,0,.3);background:#fff';
      document.body.appendChild(frame);
    } else {
      frame.hidden = !frame.hidden;
    }
    button.setAttribute('aria-expanded', String(!frame.hidden));
  });
  document.body.appendChild(button);
})();
