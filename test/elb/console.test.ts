/**
 * The Console's ELB section as a user sees it: a load balancer created from the form (a subnet left unchosen shown
 * next to its field) reaches ACTIVE in the live rows, its page shows the VIP and the status tree of what the API
 * made in it, and its delete takes everything with it. Another tenant's session is refused its page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type ComputeProject, computeProject } from '../ecs/fixtures.ts';
import { type ConsoleSession, signIn } from '../web/console.ts';
import { fieldError, follow, rowIdOf, rowsUntil } from '../web/console-pages.ts';
import { child, lbaas, waitLb } from './fixtures.ts';

const ROWS = '/console/elb/loadbalancers/rows';

describe('the Console ELB section', () => {
  let p: ComputeProject;
  let s: ConsoleSession;

  beforeAll(async () => {
    p = await computeProject('console-elb');
    s = await signIn(p.account);
  });

  it('creates a load balancer on a subnet, shows its tree, and deletes it with everything in it', async () => {
    const bad = await s.post('/console/elb/loadbalancers', { name: 'web-lb', subnet: '' });
    expect(bad.status).toBe(400);
    expect(fieldError(bad, 'subnet')).toBe('Enter the subnet of the VIP.');
    const made = await s.post('/console/elb/loadbalancers', { name: 'web-lb', subnet: p.subnet.id, vip_address: '10.0.0.40' });
    expect(await follow(s, made)).toContain('Load balancer web-lb is being created.');
    const id = rowIdOf((await s.page(ROWS)).html, 'loadbalancer', 'web-lb')!;
    expect(id).toBeTruthy();
    await rowsUntil(s, ROWS, { kind: 'loadbalancer', id }, 'ACTIVE');

    const l = await child(p, id, 'listeners', 'listener', { loadbalancer_id: id, protocol: 'HTTP', protocol_port: 8080, name: 'front' });
    const pool = await child(p, id, 'pools', 'pool', {
      listener_id: l.id,
      protocol: 'HTTP',
      lb_algorithm: 'LEAST_CONNECTIONS',
      name: 'backs',
    });
    await child(p, id, `pools/${pool.id}/members`, 'member', { address: '10.0.0.41', protocol_port: 80, name: 'one' });
    const page = await s.page(`/console/elb/loadbalancers/${id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('<dd>10.0.0.40</dd>');
    expect(page.html).toContain('<td>front (HTTP:8080)</td>');
    expect(page.html).toContain('<td>LEAST_CONNECTIONS</td>');
    expect(page.html).toContain('<td>one 10.0.0.41:80</td>');
    expect((await s.page(ROWS)).html).toContain('<td>HTTP:8080</td>');

    const other = await signIn((await computeProject('console-elb-other')).account);
    expect((await other.page(`/console/elb/loadbalancers/${id}`)).status).toBe(404);

    const deleted = await s.post(`/console/elb/loadbalancers/${id}/delete`, { from: 'loadbalancer' });
    expect(await follow(s, deleted)).toContain('The load balancer is being deleted with everything in it.');
    await waitLb(p, id, 'DELETED');
    expect((await lbaas(p, 'GET', `/pools/${pool.id}`)).status).toBe(404);
  });
});
