import type { ConsoleContext } from './console-http.ts';
import { html, type SafeHtml } from './html.ts';

/** The pages of the main menu, in its order. */
const NAV = [
  ['overview', '/console'],
  ['contacts', '/console/contacts'],
  ['compose', '/console/compose'],
  ['inbox', '/console/inbox'],
  ['approvals', '/console/approvals'],
  ['moderation', '/console/moderation'],
  ['settings', '/console/settings'],
  ['audit', '/console/audit'],
] as const;

/** A hidden form field carrying the session's CSRF token. */
export function csrfField(ctx: ConsoleContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;
}

/**
 * The page around every console screen: one stylesheet, one small deferred script, the fonts
 * the web chat serves (loaded only for scripts the system lacks), a skip link and the menu.
 */
export function layout(ctx: ConsoleContext, title: string, body: SafeHtml, current?: (typeof NAV)[number][0]): SafeHtml {
  const { t } = ctx;
  const nav =
    ctx.user && ctx.org
      ? html`<header class="top">
  <p class="brand">${ctx.org.name}</p>
  <nav aria-label="${t('nav.menu')}"><ul>${NAV.map(
    ([key, href]) => html`<li><a href="${href}"${current === key ? html` aria-current="page"` : ''}>${t(`nav.${key}`)}</a></li>`,
  )}</ul></nav>
  <form method="post" action="/console/sign-out">${csrfField(ctx)}<button type="submit" class="link">${t('nav.signOut')}</button></form>
</header>`
      : html`<header class="top"><p class="brand">${t('app')}</p></header>`;
  return html`<html lang="${ctx.lang}" dir="${ctx.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${ctx.csrf}">
<title>${title} · ${t('app')}</title>
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/fonts/fonts.css">
<link rel="stylesheet" href="/console/assets/console.css">
<script src="/console/assets/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
${nav}
<main id="main" tabindex="-1">
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}
