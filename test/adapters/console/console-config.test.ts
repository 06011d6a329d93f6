import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../adapters/config.ts';

// The console's two variables, read like every other: parsed by zod, an error names the variable.

describe('console configuration', () => {
  it('reads MESSAGE_COSTS as a currency and a cost per channel, and the sign-in rate', () => {
    const config = loadConfig({ MESSAGE_COSTS: '{"currency":"EUR","whatsapp-cloud":0.0509}', CONSOLE_SIGNIN_PER_MINUTE: '12' });
    expect(config.MESSAGE_COSTS).toEqual({ currency: 'EUR', 'whatsapp-cloud': 0.0509 });
    expect(config.CONSOLE_SIGNIN_PER_MINUTE).toBe(12);
    expect(loadConfig({}).MESSAGE_COSTS).toBeUndefined();
    expect(loadConfig({}).CONSOLE_SIGNIN_PER_MINUTE).toBe(30);
  });

  it('refuses malformed costs, naming the variable and never echoing the value', () => {
    expect(() => loadConfig({ MESSAGE_COSTS: 'cheap' })).toThrow(/MESSAGE_COSTS: must be JSON/);
    expect(() => loadConfig({ MESSAGE_COSTS: '{"currency":"euro","telegram":-1}' })).toThrow(/MESSAGE_COSTS/);
  });
});
