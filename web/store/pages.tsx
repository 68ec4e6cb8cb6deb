/** The Cloud Store's pages: the home (every feature, every support plan), a feature's page, the support plans. */
import type { PriceRow } from '../../workers/directory/prices.ts';
import { Page } from '../layout.tsx';
import { FEATURES, type Feature, isServed, pricesOf, SUPPORT, serviceTitle } from './catalogue.ts';

const MODES: Record<string, string> = {
  on_demand: 'Pay per use',
  monthly: 'Monthly',
  reserved_1y: 'Reserved 1 year, monthly',
  reserved_1y_upfront: 'Reserved 1 year, upfront',
  reserved_2y: 'Reserved 2 years, monthly',
  reserved_2y_upfront: 'Reserved 2 years, upfront',
  reserved_3y: 'Reserved 3 years, monthly',
  reserved_3y_upfront: 'Reserved 3 years, upfront',
};

/** A price in euros as the price list states it (to the tenth of a cent where it has one). */
const eur = (n: number) => `€${n.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;

/** The per-unit wording of a price (`per hour`, `one-time`). */
const per = (unit: string) => (unit === 'one_time' ? 'one-time' : `per ${unit}`);

function Availability({ f }: { f: Feature }) {
  return isServed(f) ? <span class="tag on">Available</span> : <span class="tag">Not offered yet</span>;
}

export function Home({ origin }: { origin: string }) {
  return (
    <Page
      origin={origin}
      path="/store"
      title="Services"
      description="Every service feature of Orange Flexible Engine, with its rules and prices, and the support plans."
    >
      <h1>Flexible Engine services</h1>
      <p>Each service feature of the Flexible Engine public cloud, as the Service Description states it, with its prices per region.</p>
      <h2>Service features</h2>
      <ul class="grid">
        {FEATURES.map((f) => (
          <li class="card">
            <h3>
              <a href={`/store/services/${f.slug}`}>{f.abbreviation ? `${f.name} (${f.abbreviation})` : f.name}</a>
            </h3>
            <p>{f.text[0]}</p>
            <Availability f={f} />
          </li>
        ))}
      </ul>
      <h2>Support plans</h2>
      <ul class="grid">
        {SUPPORT.plans.map((p) => (
          <li class="card">
            <h3>
              <a href={`/store/support#${p.slug}`}>{p.name}</a>
            </h3>
            <p>{p.text}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

/** The date a price took effect, in words, machine-readable too. */
function Effective({ rows }: { rows: (PriceRow | undefined)[] }) {
  const dates = rows.flatMap((r) => (r?.effectiveFrom ? [r.effectiveFrom] : [])).sort();
  const latest = dates[dates.length - 1];
  if (!latest) return <>—</>;
  const words = new Date(latest).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  return <time datetime={latest}>{words}</time>;
}

/** One region's prices of a feature: a row per product, a column per billing mode, and since when they apply. */
function PriceTable({ region, rows }: { region: string; rows: PriceRow[] }) {
  const modes = [...new Set(rows.map((r) => r.billingMode))];
  const products = [...new Set(rows.map((r) => r.product))];
  return (
    <table>
      <caption>{`Prices in ${region}`}</caption>
      <thead>
        <tr>
          <th scope="col">Product</th>
          {modes.map((m) => (
            <th scope="col">{MODES[m] ?? m}</th>
          ))}
          <th scope="col">Effective from</th>
        </tr>
      </thead>
      <tbody>
        {products.map((p) => (
          <tr>
            <th scope="row">{p}</th>
            {modes.map((m) => {
              const r = rows.find((x) => x.product === p && x.billingMode === m);
              return <td class="num">{r ? `${eur(r.priceEur)} ${per(r.unit)}` : '—'}</td>;
            })}
            <td>
              <Effective rows={rows.filter((x) => x.product === p)} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FeaturePage({ origin, feature: f, prices }: { origin: string; feature: Feature; prices: PriceRow[] }) {
  const title = f.abbreviation ? `${f.name} (${f.abbreviation})` : f.name;
  const byRegion = pricesOf(f, prices);
  return (
    <Page origin={origin} path={`/store/services/${f.slug}`} title={title} description={f.text[0]!.slice(0, 155)}>
      <nav aria-label="Breadcrumb">
        <a href="/store">Services</a> / {f.name}
      </nav>
      <h1>{title}</h1>
      <p>
        <Availability f={f} /> Service Description, clause {f.clause}
        {f.service && isServed(f) ? `; served here by ${serviceTitle(f.service)}` : ''}
      </p>
      <h2>What it does, and its rules</h2>
      {f.text.map((t) => (
        <p>{t}</p>
      ))}
      <h2>Prices</h2>
      {byRegion.size ? (
        [...byRegion].map(([region, rows]) => <PriceTable region={region} rows={rows} />)
      ) : (
        <p>This feature has no price of its own in the price list.</p>
      )}
    </Page>
  );
}

export function SupportPage({ origin, prices }: { origin: string; prices: PriceRow[] }) {
  const price = (slug: string) => prices.find((r) => r.service === 'support' && r.product === slug);
  return (
    <Page
      origin={origin}
      path="/store/support"
      title="Support plans"
      description="The four Flexible Engine support plans, their rules and their monthly prices."
    >
      <h1>Support plans</h1>
      <ul class="grid">
        {SUPPORT.plans.map((p) => {
          const r = price(p.slug);
          return (
            <li class="card" id={p.slug}>
              <h2>{p.name}</h2>
              <p>{p.text}</p>
              <p>{r ? (r.priceEur === 0 ? 'No additional charge' : `${eur(r.priceEur)} ${per(r.unit)}`) : 'Price not published'}</p>
              {r && (
                <p>
                  Effective from <Effective rows={[r]} />
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <h2>Rules (clause {SUPPORT.clause})</h2>
      <ul>
        {SUPPORT.rules.map((r) => (
          <li>{r}</li>
        ))}
      </ul>
    </Page>
  );
}

export function NotFound({ origin, path }: { origin: string; path: string }) {
  return (
    <Page origin={origin} path={path} title="Page not found" description="This page of the Flexible Engine Cloud Store does not exist.">
      <h1>Page not found</h1>
      <p>
        There is no page at {path}. <a href="/store">See every service</a>.
      </p>
    </Page>
  );
}
