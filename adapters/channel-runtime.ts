import type { Router } from 'express';
import type { ChannelName } from '../core/messages.ts';
import type { ChannelSender } from '../core/ports/channel.port.ts';
import type { RawWebhook } from './http/raw-webhook.ts';

/** A running channel: how to send on it, its webhook routes, and its lifecycle. */
export interface ChannelRuntime {
  readonly channel: ChannelName;
  readonly sender: ChannelSender;
  /**
   * Its webhook routes, called by the platform's servers (not browsers): mounted first, before
   * any body parser (a signature may need the raw bytes) and without the pages' security headers.
   */
  readonly webhook?: Router;
  /** Its webhook when it is answered ahead of express (see RawWebhook): the busiest ones. */
  readonly rawWebhook?: RawWebhook;
  /** Other routes it serves (a page for staff), after the security headers like every page. */
  readonly router?: Router;
  /** A channel that pairs a device (the WhatsApp web client): its state and the QR code to scan, for the console. */
  readonly pairing?: () => { readonly state: string; readonly qr: string | null };
  /** Starts polling, registers webhooks, logs in. */
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

/** Whether a channel runs, and if not, why (logged once at start-up, without secrets). */
export type ChannelStatus =
  | { readonly channel: ChannelName; readonly enabled: true; readonly detail: string }
  | { readonly channel: ChannelName; readonly enabled: false; readonly reason: string };
