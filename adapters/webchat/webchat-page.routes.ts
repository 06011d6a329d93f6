import { Router } from 'express';
import { LANGUAGES } from '../../core/i18n/languages.ts';
import type { LocaleResources } from '../../core/i18n/text-renderer.ts';
import { fontsRouter } from './webchat-fonts.ts';

/** The page's own words in one language, with its direction. */
export type PageStrings = Readonly<Record<string, string>> & { readonly dir: 'ltr' | 'rtl' };

/** The page's own words (placeholder, labels, errors) in every supported language, from `common:webchat`. */
export function pageStrings(resources: LocaleResources): Record<string, PageStrings> {
  const out: Record<string, PageStrings> = {};
  for (const language of LANGUAGES) {
    const table = (resources[language.code]?.['common'] as Record<string, unknown> | undefined)?.['webchat'];
    if (table && typeof table === 'object') out[language.code] = { ...(table as Record<string, string>), dir: language.dir };
  }
  return out;
}

/** The web app manifest: the chat installs on a phone's home screen and opens full screen. */
const MANIFEST = {
  name: 'Passerelle',
  short_name: 'Passerelle',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  background_color: '#f3f1ec',
  theme_color: '#1d5c63',
  icons: [
    { src: '/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
    { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any maskable' },
    { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any maskable' },
  ],
};

/** What the page loads besides its static files: its words, its fonts and its manifest. */
export function webchatPageRouter(resources: LocaleResources): Router {
  const router = Router();
  const strings = JSON.stringify(pageStrings(resources));
  router.get('/api/webchat/strings', (_req, res) => {
    res.type('application/json').set('cache-control', 'public, max-age=3600').send(strings);
  });
  router.get('/manifest.webmanifest', (_req, res) => {
    res.type('application/manifest+json').set('cache-control', 'public, max-age=86400').send(JSON.stringify(MANIFEST));
  });
  router.use(fontsRouter());
  return router;
}
