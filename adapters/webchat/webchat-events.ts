import type { Request, Response } from 'express';
import type { WebchatHistory } from '../../core/ports/webchat-history.port.ts';
import type { WebchatSignals } from './webchat.sender.ts';
import { viewOfEntry } from './webchat-view.ts';

/** What an event stream reads from. */
export interface WebchatStreamDeps {
  readonly history: WebchatHistory;
  readonly signals: WebchatSignals;
  /**
   * How often a stream reads the store without being woken. Why at all: the entry may have been
   * added by another server process, whose notification never reaches this one.
   */
  readonly pollMs: number;
}

/** A comment line now and then keeps proxies and phones from closing an idle stream. */
const HEARTBEAT_MS = 20_000;
/** Entries written per read; a long backlog streams in several reads. */
const BATCH = 100;

/**
 * Streams a person's new history entries as server-sent events (`id:` is the cursor, so a
 * reconnecting browser resumes after its Last-Event-ID) until the page goes away.
 */
export async function streamHistory(req: Request, res: Response, userId: string, after: number, deps: WebchatStreamDeps): Promise<void> {
  res.status(200).set({ 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
  res.flushHeaders();
  res.write('retry: 3000\n\n');
  const abort = new AbortController();
  const untrack = deps.signals.track(abort);
  const stop = (): void => abort.abort();
  req.on('close', stop);
  res.on('close', stop);
  let cursor = after;
  let quietSince = Date.now();
  try {
    while (!abort.signal.aborted) {
      const entries = await deps.history.list(userId, { after: cursor, limit: BATCH });
      for (const entry of entries) {
        res.write(`id: ${entry.cursor}\nevent: message\ndata: ${JSON.stringify(viewOfEntry(entry))}\n\n`);
        cursor = entry.cursor;
      }
      if (entries.length === BATCH) continue;
      if (entries.length > 0) quietSince = Date.now();
      else if (Date.now() - quietSince >= HEARTBEAT_MS) {
        res.write(': keep-alive\n\n');
        quietSince = Date.now();
      }
      await deps.signals.wait(userId, deps.pollMs, abort.signal);
    }
  } catch {
    // The store failed: end the stream; the browser reconnects after `retry` from its last id.
  } finally {
    untrack();
    req.off('close', stop);
    res.end();
  }
}
