/**
 * The Cloud Store's public pages at `/store` (no sign-in): rendered by the Worker from the Service Description and
 * the directory's price list, cached at the edge and by browsers, with a sitemap for search engines.
 */
import { cache } from 'hono/cache';
import { publicRoute } from '../../workers/auth/middleware.ts';
import { priceList } from '../../workers/directory/prices.ts';
import { router } from '../../workers/lib/app.ts';
import { portalApp } from '../portal/portal.app.tsx';
import { basketOf } from './basket.ts';
import { CalculatorPage } from './calculator.tsx';
import { FEATURES, featureOf } from './catalogue.ts';
import { FeaturePage, Home, NotFound, SupportPage } from './pages.tsx';

/** Public pages are cached five minutes in browsers and an hour at the edge; prices change by publication. */
const CACHE_CONTROL = 'public, max-age=300, s-maxage=3600, stale-while-revalidate=600';

const origin = (url: string) => new URL(url).origin;

/** The edge cache of the public pages (the signed-in Customer Portal below /store is never cached). */
const cached = cache({ cacheName: 'cloud-store', cacheControl: CACHE_CONTROL, wait: false });

export const storeApp = router();

storeApp.get('/', publicRoute('Cloud Store page'), cached, (c) => c.html(<Home origin={origin(c.req.url)} />));

storeApp.get('/support', publicRoute('Cloud Store page'), cached, async (c) =>
  c.html(<SupportPage origin={origin(c.req.url)} prices={await priceList(c.env)} />),
);

storeApp.get('/services/:slug', publicRoute('Cloud Store page'), cached, async (c) => {
  const feature = featureOf(c.req.param('slug'));
  if (!feature) return c.html(<NotFound origin={origin(c.req.url)} path={new URL(c.req.url).pathname} />, 404);
  return c.html(<FeaturePage origin={origin(c.req.url)} feature={feature} prices={await priceList(c.env)} />);
});

storeApp.get('/calculator', publicRoute('Cloud Store page'), cached, async (c) =>
  c.html(<CalculatorPage origin={origin(c.req.url)} prices={await priceList(c.env)} basket={basketOf(c.req.query())} />),
);

// Without JavaScript the calculator's form posts here; the answer is the same page with the estimate.
storeApp.post('/calculator', publicRoute('the price calculator without JavaScript (no side effect)'), async (c) => {
  const form = Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
  return c.html(<CalculatorPage origin={origin(c.req.url)} prices={await priceList(c.env)} basket={basketOf(form)} />);
});

// The signed-in Customer Portal: its own session and CSRF check, never cached.
storeApp.route('/portal', portalApp);

/** The pages a search engine should know. */
export function sitemap(base: string): string {
  const paths = ['/store', '/store/support', '/store/calculator', ...FEATURES.map((f) => `/store/services/${f.slug}`)];
  const urls = paths.map((p) => `  <url><loc>${base}${p}</loc></url>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls}\n</urlset>\n`;
}
