/** Networking: ports created per second in one tenant, Elastic IPs allocated per second across tenants. */
import { accounts, api, type BenchCloud, ok } from './cloud.ts';
import type { Plan } from './harness.ts';

const TENANTS = 10;

export async function networkPlan(cloud: BenchCloud, concurrency: number): Promise<Plan> {
  const [portOwner] = await accounts(cloud, ['bench-ports']);
  const [operator] = await accounts(cloud, ['bench-operator'], true);
  const tenants = await accounts(
    cloud,
    Array.from({ length: TENANTS }, (_, i) => `bench-eip-${i}`),
  );
  const token = portOwner!.token;
  const net = (await (await api(cloud, token, 'POST', '/vpc/v2.0/networks', { network: { name: 'bench' } })).json()) as {
    network: { id: string };
  };
  await ok(await api(cloud, token, 'POST', '/vpc/v2.0/subnets', { subnet: { network_id: net.network.id, cidr: '10.0.0.0/16' } }), 201);
  await ok(await api(cloud, operator!.token, 'PUT', `/vpc/v2.0/quotas/${portOwner!.projectId}`, { quota: { port: 100_000 } }));
  const external = (await (await api(cloud, token, 'GET', '/vpc/v2.0/networks?router:external=true')).json()) as {
    networks: { id: string }[];
  };
  const externalId = external.networks[0]!.id;
  let next = 0;
  const eipCycle = async () => {
    const t = tenants[next++ % TENANTS]!;
    const res = await api(cloud, t.token, 'POST', '/vpc/v2.0/floatingips', { floatingip: { floating_network_id: externalId } });
    if (res.status !== 201) throw new Error(`EIP: ${res.status} ${await res.text()}`);
    const { floatingip } = (await res.json()) as { floatingip: { id: string } };
    await ok(await api(cloud, t.token, 'DELETE', `/vpc/v2.0/floatingips/${floatingip.id}`), 204);
  };
  return [
    [
      'port create, one tenant (POST /v2.0/ports)',
      async () => ok(await api(cloud, token, 'POST', '/vpc/v2.0/ports', { port: { network_id: net.network.id } }), 201),
      concurrency,
    ],
    [`EIP allocate + release, ${TENANTS} tenants (POST+DELETE /v2.0/floatingips)`, eipCycle, concurrency],
  ];
}
