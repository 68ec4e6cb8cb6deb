/**
 * The price calculator: a known basket sums to the cent by the stated rule (each line rounded half up, the total
 * the sum of the lines), by a form post without JavaScript and by the very functions the page sends as its script.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { priceLines } from '../../core/pricing.ts';
import prices from '../../seed/prices.json';
import { basketLines, basketOf } from '../../web/store/basket.ts';
import { operatorAccount } from '../fixtures.ts';
import { call } from '../request.ts';
import { KNOWN_BASKET, KNOWN_LINES, KNOWN_TOTAL } from './basket.ts';

const FORM = KNOWN_BASKET;
const EXPECTED = KNOWN_LINES;
const TOTAL = KNOWN_TOTAL;

describe('the price calculator', () => {
  // The directory's catalogue and price list are seeded by the first start's bootstrap.
  beforeAll(() => operatorAccount());

  it('prices a known basket to the cent, each line rounded half up', () => {
    const { lines, missing } = basketLines(basketOf(FORM), prices);
    expect(missing).toEqual([]);
    const priced = priceLines(lines);
    expect(priced.lines.map((l) => (l.cents / 100).toFixed(2))).toEqual(EXPECTED);
    expect((priced.totalCents / 100).toFixed(2)).toBe(TOTAL);
  });

  it('rounds half up exactly, where floating point would not', () => {
    // 0.0045 x 730 = 3.285 exactly; in floating point it is 3.2849999..., which naive rounding takes down.
    expect(priceLines([{ label: 'x', quantity: 730, unit: 'hour', unitPriceEur: 0.0045 }]).totalCents).toBe(329);
    expect(priceLines([{ label: 'x', quantity: 1, unit: 'h', unitPriceEur: 0.005 }]).totalCents).toBe(1);
    expect(priceLines([{ label: 'x', quantity: 1, unit: 'h', unitPriceEur: 0.0049 }]).totalCents).toBe(0);
  });

  it('answers a form post (no JavaScript) with the estimate, and names what has no price', async () => {
    const res = await call('/store/calculator', { method: 'POST', body: new URLSearchParams(FORM) });
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const amount of EXPECTED) expect(html).toContain(`<td class="num">${amount}</td>`);
    expect(html).toContain(`<td class="num" data-total="">${TOTAL}</td>`);
    const odd = await call('/store/calculator', {
      method: 'POST',
      body: new URLSearchParams({ ...FORM, region: 'eu-west-1', server0_flavor: 'no.such.1' }),
    });
    expect(await odd.text()).toContain('No price for: ecs no.such.1 (on_demand) in eu-west-1');
  });

  it("sends the same functions as the page's script, which compute the same total", async () => {
    const html = await (await call('/store/calculator')).text();
    const source = html.slice(html.indexOf('<script>') + 8, html.indexOf('</script>'));
    expect(source).toContain('const priceLines = ');
    // Run the page's script against a minimal document: its form holds FORM, its estimate gets the total.
    const cells: Record<string, { textContent: string; innerHTML: string }> = {
      tbody: { textContent: '', innerHTML: '' },
      '[data-total]': { textContent: '', innerHTML: '' },
      '[data-missing]': { textContent: '', innerHTML: '' },
    };
    let listener: (() => void) | undefined;
    const document = {
      getElementById: (id: string) =>
        id === 'calculator'
          ? { addEventListener: (_e: string, f: () => void) => (listener = f) }
          : { querySelector: (q: string) => cells[q] },
    };
    class FormData {
      entries() {
        return Object.entries(FORM)[Symbol.iterator]();
      }
      [Symbol.iterator]() {
        return this.entries();
      }
    }
    new Function('document', 'FormData', source)(document, FormData);
    listener!();
    expect(cells['[data-total]']!.textContent).toBe(TOTAL);
    expect(cells.tbody!.innerHTML).toContain('<td class="num">45.63</td>');
  });

  it("keeps its script under 100 KB compressed (the web issue's ceiling per page)", async () => {
    const html = await (await call('/store/calculator')).text();
    const script = html.slice(html.indexOf('<script>') + 8, html.indexOf('</script>'));
    const gzipped = await new Response(new Blob([script]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
    expect(gzipped.byteLength).toBeLessThan(100 * 1024);
  });
});
