import express from 'express';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { whatsappWebHarness, type Harness } from './whatsapp-web.harness.ts';

const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// A QR payload of the shape whatsapp-web.js emits: ref, noise key, identity key, secret, platform.
const QR = '2@q9pGk1bYQ0wSxrWm1hRmVjZ2B1cm9kZS5iaW4=,dGhpc2lzYWZha2Vub2lzZWtleQ==,aWRlbnRpdHlrZXk=,YWR2c2VjcmV0,1';

let h: Harness | undefined;
afterEach(async () => {
  await h?.dispose();
  h = undefined;
});

/** The product's HTTP app with the channel's router mounted, as createApp mounts it. */
function http(harness: Harness) {
  return express().use(harness.channel.router);
}

describe('GET /admin/whatsapp/qr.png', () => {
  it('serves the pending QR code as a PNG to the admin, refuses a wrong token, and is gone once ready', async () => {
    h = await whatsappWebHarness({ ADMIN_TOKEN }, { ready: false });
    const app = http(h);

    const before = await request(app).get('/admin/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ error: 'no QR code pending', state: 'starting' });

    h.fake.emit('qr', QR);
    const png = await request(app).get('/admin/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}`).buffer(true);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).toBe('no-store');
    expect(Buffer.from(png.body as Buffer).subarray(0, 8)).toEqual(PNG_SIGNATURE);
    // The QR also went to the terminal writer (not to the logs).
    expect(h.qrWrites).toHaveLength(1);
    expect(h.qrWrites[0]).toContain('Link a device');
    expect(JSON.stringify(h.logger.lines)).not.toContain(QR);

    const wrong = await request(app).get('/admin/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');
    expect((await request(app).get('/admin/whatsapp/qr.png')).status).toBe(401);
    expect((await request(app).get('/admin/whatsapp/qr.png').set('Authorization', ADMIN_TOKEN)).status).toBe(401);

    h.fake.emit('authenticated');
    h.fake.emit('ready');
    const after = await request(app).get('/admin/whatsapp/qr.png').set('Authorization', `Bearer ${ADMIN_TOKEN}`);
    expect(after.status).toBe(404);
    expect(after.body).toEqual({ error: 'no QR code pending', state: 'ready', detail: 'WhatsApp is already linked: there is nothing to scan.' });
  });

  it('does not exist when no ADMIN_TOKEN is configured', async () => {
    h = await whatsappWebHarness({}, { ready: false });
    h.fake.emit('qr', QR);
    const res = await request(http(h)).get('/admin/whatsapp/qr.png').set('Authorization', 'Bearer anything-at-all-16');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not found' });
  });
});

describe('a process that starts with the number not linked', () => {
  it('counts the channel down from the first QR code (messages are held, not tried until they die), and up once ready', async () => {
    h = await whatsappWebHarness({ ADMIN_TOKEN }, { ready: false });
    expect(h.channel.sender.down?.()).toBeNull();
    h.fake.emit('qr', QR);
    expect(h.channel.sender.down?.()).toBe('NOT_LINKED');
    h.fake.emit('authenticated');
    h.fake.emit('ready');
    expect(h.channel.sender.down?.()).toBeNull();
  });

  it('counts it down when the saved session is refused', async () => {
    h = await whatsappWebHarness({ ADMIN_TOKEN }, { ready: false });
    h.fake.emit('auth_failure', 'session restore failed');
    expect(h.channel.sender.down?.()).toBe('AUTH_FAILURE');
  });
});
