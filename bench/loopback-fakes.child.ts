/**
 * The loopback platform fakes (bench/loopback-fakes.ts) in a child process, so that a bench's
 * CPU figures are Passerelle's alone. Sends `{url}` when listening; answers 'counts' with what
 * the fakes saw (times as epoch milliseconds) and this process's CPU time; 'close' ends it.
 */
import { startLoopbackFakes } from './loopback-fakes.ts';

/** The counts as they cross the IPC channel. */
export interface RemoteCounts {
  readonly telegram: number;
  readonly whatsappCloud: number;
  readonly messenger: number;
  readonly translateRequests: number;
  readonly billedCharacters: number;
  readonly recipients: number;
  readonly duplicates: number;
  /** Date.now() of the first and last delivered message (0 when none). */
  readonly firstAt: number;
  readonly lastAt: number;
  readonly cpu: NodeJS.CpuUsage;
}

const fakes = await startLoopbackFakes();
const epoch = (t: number): number => (t === 0 ? 0 : performance.timeOrigin + t);

process.on('message', (msg: unknown) => {
  if (msg === 'counts') {
    const c = fakes.counts;
    const counts: RemoteCounts = {
      telegram: c.telegram,
      whatsappCloud: c.whatsappCloud,
      messenger: c.messenger,
      translateRequests: c.translateRequests,
      billedCharacters: c.billedCharacters,
      recipients: c.seen.size,
      duplicates: c.duplicates,
      firstAt: epoch(c.firstAt),
      lastAt: epoch(c.lastAt),
      cpu: process.cpuUsage(),
    };
    process.send?.(counts);
  }
  if (msg === 'close') void fakes.close().then(() => process.exit(0));
});
process.send?.({ url: fakes.url });
