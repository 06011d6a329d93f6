import type { ChannelRuntime } from '../channel-runtime.ts';
import type { ChannelDeps, ChannelOutcome } from '../channels.ts';
import { AndroidGatewaySender } from './android/android-gateway.sender.ts';
import { ANDROID_GATEWAY_PATH, androidGatewayRouter } from './android/android-gateway.routes.ts';
import { handleSms, type InboundSms } from './sms.inbound.ts';
import { TwilioSender } from './twilio/twilio.sender.ts';
import { smsBackend } from './sms.backend.ts';
import { TWILIO_SMS_PATH, TWILIO_STATUS_PATH, twilioRouter } from './twilio/twilio.routes.ts';

/**
 * Builds the SMS channel on the configured back-end: Twilio (its official library, webhooks
 * checked with X-Twilio-Signature), or an Android phone running SMS Gateway for Android (its REST
 * API, webhooks checked with X-Signature). Off, saying why, when neither is configured.
 */
export async function smsChannel(deps: ChannelDeps): Promise<ChannelOutcome> {
  const { config, pipeline, store, clock, logger } = deps;
  const backend = smsBackend(config);
  const country = config.SMS_DEFAULT_COUNTRY;
  const accept = async (sms: InboundSms): Promise<void> => {
    if (!(await handleSms(pipeline, sms, country))) logger.debug({ channel: 'sms' }, 'SMS from something that is no phone number ignored');
  };
  const now = () => clock.now();
  if (backend === 'twilio') {
    const { TWILIO_ACCOUNT_SID: accountSid, TWILIO_AUTH_TOKEN: authToken, TWILIO_FROM: from } = config as Required<typeof config>;
    const publicUrl = config.TWILIO_PUBLIC_URL ?? null;
    const statusCallback = publicUrl ? `${publicUrl.replace(/\/+$/, '')}${TWILIO_STATUS_PATH}` : null;
    const runtime: ChannelRuntime = {
      channel: 'sms',
      sender: new TwilioSender({ accountSid, authToken, from, apiUrl: config.TWILIO_API_URL, statusCallback, logger }),
      webhook: twilioRouter({ accountSid, authToken, publicUrl, receipts: store.receipts, logger, accept, now }),
    };
    const also = config.SMS_GATEWAY_URL ? ' (SMS_GATEWAY_* set too: ignored, Twilio wins)' : '';
    return { runtime, detail: `Twilio at ${new URL(config.TWILIO_API_URL).host}, webhooks ${TWILIO_SMS_PATH} and ${TWILIO_STATUS_PATH}${statusCallback ? '' : ' (no TWILIO_PUBLIC_URL: no status callbacks)'}${also}` };
  }
  if (backend === 'android') {
    const { SMS_GATEWAY_URL: url, SMS_GATEWAY_USERNAME: username, SMS_GATEWAY_PASSWORD: password, SMS_GATEWAY_SIGNING_KEY: signingKey } = config as Required<typeof config>;
    const runtime: ChannelRuntime = {
      channel: 'sms',
      sender: new AndroidGatewaySender({ url, username, password, logger }),
      webhook: androidGatewayRouter({ signingKey, receipts: store.receipts, logger, accept, now }),
    };
    return { runtime, detail: `SMS Gateway for Android at ${new URL(url).host}, webhook ${ANDROID_GATEWAY_PATH}` };
  }
  return { status: { channel: 'sms', enabled: false, reason: 'neither TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM nor SMS_GATEWAY_URL, SMS_GATEWAY_USERNAME, SMS_GATEWAY_PASSWORD, SMS_GATEWAY_SIGNING_KEY are set' } };
}
