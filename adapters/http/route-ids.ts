import type { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';

/** An id in a URL path: ours are uuids, keys or short codes, never longer than this. */
const routeId = z.string().min(1).max(128).regex(/^[\w.:@-]+$/u);

/**
 * Checks every path id a router takes (`:id`, `:contactId`...) with zod before any handler runs:
 * one that cannot be ours gets 404, as an unknown id does, and never reaches a store.
 */
export function checkRouteIds(router: Router, names: readonly string[]): Router {
  for (const name of names) {
    router.param(name, (_req: Request, res: Response, next: NextFunction, value: unknown) => {
      if (routeId.safeParse(value).success) return next();
      res.status(404).json({ error: 'not found', field: name });
    });
  }
  return router;
}
