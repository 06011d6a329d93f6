import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';

/** A font package and the subsets the page needs (null: every slice it has). */
interface FontPackage {
  readonly name: string;
  readonly subsets: readonly string[] | null;
}

/**
 * The scripts of the supported languages: Latin and Cyrillic (Noto Sans), Arabic (ar, fa, ps),
 * Ethiopic (ti), and emoji (monochrome Noto Emoji: a few kB per slice, where the colour font
 * weighs megabytes). Each is a fallback after the system's own font, so a phone that has the
 * glyphs downloads nothing.
 */
const FONTS: readonly FontPackage[] = [
  { name: 'noto-sans', subsets: ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext'] },
  { name: 'noto-sans-arabic', subsets: ['arabic'] },
  { name: 'noto-sans-ethiopic', subsets: ['ethiopic'] },
  { name: 'noto-emoji', subsets: null },
];

/** The font families in the order the page's CSS lists them. */
export const FONT_FAMILIES = ['Noto Sans', 'Noto Sans Arabic', 'Noto Sans Ethiopic', 'Noto Emoji'] as const;

const require = createRequire(import.meta.url);
const FACE = /\/\* ([^*]+?) \*\/\s*(@font-face \{[^}]*\})/g;

/** The font faces the page uses, each with its unicode-range so that a browser loads only the scripts on screen. */
export function fontFaces(): { css: string; dirs: Map<string, string> } {
  const faces: string[] = [];
  const dirs = new Map<string, string>();
  for (const font of FONTS) {
    const cssFile = require.resolve(`@fontsource/${font.name}/400.css`);
    dirs.set(font.name, join(dirname(cssFile), 'files'));
    for (const [, label, face] of readFileSync(cssFile, 'utf8').matchAll(FACE)) {
      const subset = label!.slice(font.name.length + 1).replace(/-400-normal$/, '');
      if (font.subsets && !font.subsets.includes(subset)) continue;
      faces.push(face!.replaceAll('url(./files/', `url(/fonts/${font.name}/`));
    }
  }
  return { css: faces.join('\n'), dirs };
}

/** `/fonts/fonts.css` and the font files, served by the product itself (no third-party host). */
export function fontsRouter(): Router {
  const router = Router();
  const { css, dirs } = fontFaces();
  router.get('/fonts/fonts.css', (_req, res) => {
    res.type('text/css').set('cache-control', 'public, max-age=86400').send(css);
  });
  for (const [name, dir] of dirs) {
    // Why immutable: file names carry the package's subset and the version is pinned.
    router.use(`/fonts/${name}`, express.static(dir, { immutable: true, maxAge: '30d', index: false, fallthrough: true }));
  }
  return router;
}
