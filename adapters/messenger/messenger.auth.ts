import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
import { z } from 'zod';
import type { Config } from '../config.ts';

/** The outcome of checking the connector's bearer token. */
export type AuthenticationResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** How the channel authenticates: with the bot's Microsoft app, or not at all (Emulator). */
export interface MessengerAuth {
  readonly authentication: ConfigurationBotFrameworkAuthentication;
  /** The bot's app id for proactive sends; '' when unauthenticated. */
  readonly appId: string;
  readonly authenticated: boolean;
}

/**
 * Builds the Bot Framework authentication from the MicrosoftApp* variables. Without an app id it
 * checks no token at all and sends replies without one: only for the Bot Framework Emulator.
 * Throws when the SDK rejects the combination (SingleTenant without a tenant id); its messages
 * name variables, never values.
 */
export function messengerAuth(config: Config, unauthenticated: boolean): MessengerAuth {
  if (unauthenticated || !config.MicrosoftAppId) {
    return { authentication: new ConfigurationBotFrameworkAuthentication({}), appId: '', authenticated: false };
  }
  const settings: Record<string, string> = { MicrosoftAppId: config.MicrosoftAppId, MicrosoftAppType: config.MicrosoftAppType };
  if (config.MicrosoftAppPassword) settings['MicrosoftAppPassword'] = config.MicrosoftAppPassword;
  if (config.MicrosoftAppTenantId) settings['MicrosoftAppTenantId'] = config.MicrosoftAppTenantId;
  return { authentication: new ConfigurationBotFrameworkAuthentication(settings), appId: config.MicrosoftAppId, authenticated: true };
}

/** What the SDK reads from an activity to check its token (the token's serviceurl must match). */
export const authFieldsSchema = z.object({
  type: z.string(),
  channelId: z.string().max(64).optional(),
  serviceUrl: z.string().max(2048).optional(),
  recipient: z.object({ role: z.string().max(32).optional() }).optional(),
});

const authErrorSchema = z.object({ name: z.string(), statusCode: z.number().int().optional() });
/** Token verification failures that jsonwebtoken throws past the SDK (an invalid signature). */
const TOKEN_ERRORS: ReadonlySet<string> = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** Refused: 401 for a missing or bad token, 503 when the keys to check it could not be fetched. */
export interface AuthRefusal {
  readonly httpStatus: 401 | 503;
  readonly reason: string;
}

/**
 * Checks the `Authorization` header of a connector request. Why not `CloudAdapter.process`:
 * it answers 500 to a token with a known key id but a forged signature (jsonwebtoken's error
 * is not an AuthenticationError) and prints the error and the signing keys to the console.
 */
export async function authenticate(auth: MessengerAuth, header: string, fields: z.output<typeof authFieldsSchema>): Promise<AuthenticationResult | AuthRefusal> {
  try {
    // Why the cast: the SDK reads only these fields of the activity to check its token.
    return await auth.authentication.authenticateRequest(fields as Activity, header);
  } catch (error) {
    // Why the constructor's name: the SDK's AuthenticationError leaves `name` as "Error".
    const kind = error instanceof Error ? error.constructor.name : 'unknown';
    const parsed = authErrorSchema.safeParse(error);
    if (parsed.success && (parsed.data.statusCode === 401 || TOKEN_ERRORS.has(parsed.data.name))) return { httpStatus: 401, reason: kind };
    // The signing keys could not be fetched (AuthenticationError 500, network): the connector
    // retries later.
    return { httpStatus: 503, reason: kind };
  }
}

/** Whether `authenticate` refused the request. */
export function isRefusal(result: AuthenticationResult | AuthRefusal): result is AuthRefusal {
  return 'httpStatus' in result;
}
