/**
 * The security headers of every signed-in web page (Console, Customer Portal): a Content-Security-Policy that
 * allows scripts, styles and requests from this origin only (no inline script, no framing, forms only here),
 * and no referrer or MIME sniffing.
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../workers/lib/app.ts';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Sets the web's security headers on the response. */
export function webSecurity(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Frame-Options', 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'same-origin');
  };
}
