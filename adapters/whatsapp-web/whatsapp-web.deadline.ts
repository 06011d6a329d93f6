/** A call into WhatsApp Web took longer than we wait for it. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/**
 * Rejects with {@link DeadlineExceededError} after `ms` unless the promise settles first.
 * Why: whatsapp-web.js drives a browser page, and a stuck page never answers; the timer is
 * unref'd so it never keeps the process alive.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceededError(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
  });
  // The losing promise may reject later, when nobody waits for it any more.
  promise.catch(() => undefined);
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
