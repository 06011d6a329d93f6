/** puppeteer (pulled in by whatsapp-web.js) must never download its own browser: we use the system Chromium (CHROMIUM_PATH). */
module.exports = { skipDownload: true };
