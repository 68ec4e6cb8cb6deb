/** The Cloud Store's ELB page: served here (the elb service is registered), with the shared load balancer's price. */
import { beforeAll, describe, expect, it } from 'vitest';
import { operatorAccount } from '../fixtures.ts';
import { call } from '../request.ts';

describe('the Cloud Store', () => {
  beforeAll(() => operatorAccount());

  it('presents ELB as available, priced per hour of a shared load balancer in each region', async () => {
    const res = await call('/store/services/elb');
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('Available');
    expect(html).toContain('served here by Elastic Load Balance');
    for (const region of ['eu-west-0', 'eu-west-1']) expect(html).toContain(`<caption>Prices in ${region}</caption>`);
    expect(html.match(/<th scope="row">shared<\/th><td class="num">€0\.025 per hour<\/td>/g)).toHaveLength(2);
  });
});
