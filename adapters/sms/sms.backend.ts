import type { Config } from '../config.ts';

/** Default sends per second: Twilio's long codes take about 10 a second; a SIM card far fewer before its operator blocks it. */
export const SMS_DEFAULT_RATES = { twilio: 10, android: 0.2 } as const;

/** Which back-end the configuration names (Twilio wins when both are set), or null. */
export function smsBackend(config: Config): 'twilio' | 'android' | null {
  if (config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN && config.TWILIO_FROM) return 'twilio';
  if (config.SMS_GATEWAY_URL && config.SMS_GATEWAY_USERNAME && config.SMS_GATEWAY_PASSWORD && config.SMS_GATEWAY_SIGNING_KEY) return 'android';
  return null;
}
