import express, { type RequestHandler } from 'express';

/**
 * Parses a JSON body for one route: a body sent as anything but `application/json` is a 415
 * (not a misleading 400), and any JSON value is parsed (so `null` reaches the route's zod
 * schema, which names the field, instead of passing for malformed JSON). A request without a
 * body passes through untouched.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const unsupported: RequestHandler = (req, res, next) => {
    // req.is() is null without a body, false with one of another type; an empty body is none.
    if (req.get('content-length') !== '0' && req.is('application/json') === false) {
      res.status(415).json({ error: 'unsupported media type', issues: [{ field: 'content-type', message: 'must be application/json' }] });
      return;
    }
    next();
  };
  return [unsupported, express.json({ limit, strict: false })];
}
