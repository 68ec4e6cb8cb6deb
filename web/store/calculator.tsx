/**
 * The price calculator: a form of flavors and hours, volumes, Elastic IPs and bandwidth, OBS storage, reserved
 * terms and a support plan, priced for a month. Without JavaScript the form posts and the page comes back with
 * the estimate; with it, the same functions (web/store/basket.ts and core/pricing.ts, their source sent as the
 * page's script) update the estimate as the form changes.
 */
import { raw } from 'hono/html';
import { roundHalfAway } from '../../core/money.ts';
import { euros, type Priced, priceLines, pricer } from '../../core/pricing.ts';
import type { PriceRow } from '../../workers/directory/prices.ts';
import { Page } from '../layout.tsx';
import { type Basket, basketLines, basketOf, type ListPrice, ROWS } from './basket.ts';

const TERMS = [
  ['on_demand', 'Pay per use (hours)'],
  ['reserved_1y', 'Reserved 1 year (monthly)'],
  ['reserved_2y', 'Reserved 2 years (monthly)'],
  ['reserved_3y', 'Reserved 3 years (monthly)'],
] as const;

/** The estimate of a basket against the price list. */
export function estimate(b: Basket, prices: ListPrice[]): Priced & { missing: string[] } {
  const { lines, missing } = basketLines(b, prices);
  return { ...priceLines(lines), missing };
}

/** What the browser needs of a line (the exact revision stays on the server). */
const listPrice = ({ service, product, regionId, billingMode, unit, priceEur }: ListPrice): ListPrice => ({
  service,
  product,
  regionId,
  billingMode,
  unit,
  priceEur,
});

/** The browser's copy of the arithmetic: the very functions above, as source, and the glue that runs them. */
function script(prices: ListPrice[]): string {
  return `(() => {
const basketOf = ${basketOf.toString()};
const basketLines = ${basketLines.toString()};
const priceLines = (${pricer.toString()})(${roundHalfAway.toString()});
const euros = ${euros.toString()};
const PRICES = ${JSON.stringify(prices).replace(/</g, '\\u003c')};
const form = document.getElementById('calculator');
const out = document.getElementById('estimate');
const update = () => {
  const b = basketOf(Object.fromEntries(new FormData(form)));
  const { lines, missing } = basketLines(b, PRICES);
  const priced = priceLines(lines);
  out.querySelector('tbody').innerHTML = priced.lines.map((l) => '<tr><td>' + l.label + '</td><td class="num">' + euros(l.cents) + '</td></tr>').join('');
  out.querySelector('[data-total]').textContent = euros(priced.totalCents);
  out.querySelector('[data-missing]').textContent = missing.length ? 'No price for: ' + missing.join(', ') : '';
};
form.addEventListener('input', update);
form.addEventListener('change', update);
})();`;
}

function Field(props: { name: string; label: string; value?: number; min?: number; max?: number }) {
  return (
    <label>
      {props.label}{' '}
      <input
        type="number"
        name={props.name}
        id={props.name}
        value={String(props.value ?? 0)}
        min={String(props.min ?? 0)}
        max={props.max ? String(props.max) : undefined}
        step="1"
      />
    </label>
  );
}

function Select(props: { name: string; label: string; options: readonly (readonly [string, string])[]; selected?: string }) {
  return (
    <label>
      {props.label}{' '}
      <select name={props.name} id={props.name}>
        {props.options.map(([value, text]) => (
          <option value={value} selected={value === props.selected}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CalculatorPage({ origin, prices, basket }: { origin: string; prices: PriceRow[]; basket: Basket }) {
  const regions = [...new Set(prices.map((p) => p.regionId).filter((r) => r !== 'global'))];
  const flavors = [...new Set(prices.filter((p) => p.service === 'ecs' && p.billingMode === 'on_demand').map((p) => p.product))];
  const types = [...new Set(prices.filter((p) => p.service === 'evs' && p.product !== 'snapshot').map((p) => p.product))];
  const plans = prices.filter((p) => p.service === 'support').map((p) => p.product);
  const result = estimate(basket, prices);
  const none = [['', '(none)']] as const;
  return (
    <Page
      origin={origin}
      path="/store/calculator"
      title="Price calculator"
      description="Estimate a month of Flexible Engine: servers, volumes, Elastic IPs, OBS storage, reserved terms and a support plan."
    >
      <h1>Price calculator</h1>
      <p>
        A monthly estimate from the price list. Each line is rounded once to the cent, halves away from zero, as invoices are; the total is
        the sum of the lines.
      </p>
      <form id="calculator" method="post" action="/store/calculator">
        <Select name="region" label="Region" options={regions.map((r) => [r, r] as const)} selected={basket.region} />
        <fieldset>
          <legend>Servers</legend>
          {Array.from({ length: ROWS }, (_, i) => (
            <p>
              <Select
                name={`server${i}_flavor`}
                label={`Flavor ${i + 1}`}
                options={[...none, ...flavors.map((f) => [f, f] as const)]}
                selected={basket.servers[i]?.flavor}
              />{' '}
              <Field name={`server${i}_count`} label="Count" value={basket.servers[i]?.count} />{' '}
              <Field name={`server${i}_hours`} label="Hours per month" value={basket.servers[i]?.hours ?? 730} max={744} />{' '}
              <Select name={`server${i}_term`} label="Term" options={TERMS} selected={basket.servers[i]?.term} />
            </p>
          ))}
        </fieldset>
        <fieldset>
          <legend>Volumes (EVS)</legend>
          {Array.from({ length: ROWS }, (_, i) => (
            <p>
              <Select
                name={`volume${i}_type`}
                label={`Type ${i + 1}`}
                options={[...none, ...types.map((t) => [t, t] as const)]}
                selected={basket.volumes[i]?.type}
              />{' '}
              <Field name={`volume${i}_size`} label="Size (GB)" value={basket.volumes[i]?.sizeGb} max={32768} />{' '}
              <Field name={`volume${i}_count`} label="Count" value={basket.volumes[i]?.count} />
            </p>
          ))}
        </fieldset>
        <fieldset>
          <legend>Elastic IPs</legend>
          <Field name="eip_count" label="Elastic IPs" value={basket.eip.count} />{' '}
          <Field name="eip_bandwidth" label="Bandwidth each (Mbit/s)" value={basket.eip.bandwidthMbit} />{' '}
          <Field name="eip_hours" label="Hours per month" value={basket.eip.hours} max={744} />
        </fieldset>
        <fieldset>
          <legend>Object storage and support</legend>
          <Field name="obs_gb" label="OBS standard storage (GB)" value={basket.obsGb} />{' '}
          <Select name="support" label="Support plan" options={[...none, ...plans.map((p) => [p, p] as const)]} selected={basket.support} />
        </fieldset>
        <button type="submit">Estimate</button>
      </form>
      <section id="estimate" aria-live="polite">
        <h2>Monthly estimate</h2>
        <table>
          <caption>Lines of the estimate (EUR)</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Amount</th>
            </tr>
          </thead>
          <tbody>
            {result.lines.map((l) => (
              <tr>
                <td>{l.label}</td>
                <td class="num">{euros(l.cents)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total per month</th>
              <td class="num" data-total="">
                {euros(result.totalCents)}
              </td>
            </tr>
          </tfoot>
        </table>
        <p data-missing="">{result.missing.length ? `No price for: ${result.missing.join(', ')}` : ''}</p>
      </section>
      <script>{raw(script(prices.map(listPrice)))}</script>
    </Page>
  );
}
