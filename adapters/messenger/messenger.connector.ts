import type { CloudAdapter, TurnContext } from 'botbuilder';

/** The few members of the SDK's internal HTTP pipeline this file touches. */
interface RemovablePolicies {
  removePolicy(options: { name: string }): unknown;
}

function hasPipeline(value: unknown): value is { pipeline: RemovablePolicies } {
  if (typeof value !== 'object' || value === null) return false;
  const pipeline: unknown = Reflect.get(value, 'pipeline');
  return typeof pipeline === 'object' && pipeline !== null && typeof Reflect.get(pipeline, 'removePolicy') === 'function';
}

/**
 * Removes the Azure SDK's retry policy from this turn's Bot Connector client. Why: it retries a
 * 429 three times after each Retry-After and a 5xx three times with back-off, holding a webhook
 * turn (the connector gives up after 15 s) or a broadcast worker for up to a minute; the core
 * decides about retries from the classified SendResult instead. Why through a private field:
 * the SDK (archived, pinned at 4.23.3) ignores its own `noRetryPolicy` option. If the shape
 * ever differs, the retries simply stay.
 */
export function withoutSdkRetries(adapter: CloudAdapter, context: TurnContext): boolean {
  const connector: unknown = context.turnState.get(adapter.ConnectorClientKey);
  if (typeof connector !== 'object' || connector === null) return false;
  const client: unknown = Reflect.get(connector, 'client');
  if (!hasPipeline(client)) return false;
  client.pipeline.removePolicy({ name: 'defaultRetryPolicy' });
  return true;
}
