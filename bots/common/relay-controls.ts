import type { RelayControl } from '../../core/dialog/dialog-definition.ts';

/**
 * The controls of every relayed conversation (the exchange and jobs flows): buttons, or typed
 * `#end`, `#fin`, `#إنهاء`... in any of our languages. The relay hint lists them in the reader's.
 */
export const RELAY_CONTROLS: readonly RelayControl[] = [
  { id: 'end', label: 'common:relayEnd', word: 'common:relayWords.end' },
  { id: 'block', label: 'common:relayBlock', word: 'common:relayWords.block' },
  { id: 'report', label: 'common:relayReport', word: 'common:relayWords.report' },
  { id: 'menu', label: 'common:relayMenu', word: 'common:relayWords.menu' },
];
