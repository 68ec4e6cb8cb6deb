/**
 * The VPCs page (the project's VPCs, the form that creates one) and a VPC's page (its subnets, the form that adds
 * one, delete). A VPC is CREATING and a subnet UNKNOWN for a moment: their rows follow that live.
 */

import type { Vpc } from '../../../schema/tenant.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import type { VpcSubnet } from '../../../workers/vpc/usecases/vpcs.ts';
import {
  ActionButton,
  Actions,
  Check,
  ConsolePage,
  Empty,
  type Failure,
  Field,
  Form,
  Live,
  Refusal,
  Select,
  Status,
  Table,
} from '../kit.tsx';
import { VpcNav, vpcStatus } from './parts.tsx';

/** Statuses of a VPC or subnet still settling (the kit's Status does not know these native words). */
const SETTLING = new Set(['CREATING', 'UNKNOWN']);
const busy = (status: string) => (SETTLING.has(status) ? '' : undefined);

/** The rows of the VPC table, also served alone to the live region. */
export function VpcRows({ vpcs, subnets }: { vpcs: Vpc[]; subnets: VpcSubnet[] }) {
  if (!vpcs.length) return <Empty cols={4}>No VPC yet: create one below.</Empty>;
  return (
    <>
      {vpcs.map((v) => (
        <tr data-busy={busy(v.status)}>
          <th scope="row">
            <a href={`/console/vpc/vpcs/${v.id}`}>{v.name || v.id}</a>
          </th>
          <td>{v.cidr ?? ''}</td>
          <td>
            <Status value={vpcStatus(v)} />
          </td>
          <td class="num">{subnets.filter((s) => s.vpcId === v.id).length}</td>
        </tr>
      ))}
    </>
  );
}

/** The VPCs page. */
export function VpcsPage(props: { c: AppContext; vpcs: Vpc[]; subnets: VpcSubnet[]; failure?: Failure | undefined }) {
  const { c, failure } = props;
  return (
    <ConsolePage c={c} title="VPCs" section="vpc">
      <h1>Virtual Private Cloud</h1>
      <VpcNav current="vpcs" />
      <Table caption="VPCs" head={['Name', 'CIDR block', 'Status', 'Subnets']}>
        <Live src="/console/vpc/vpcs/rows" label="VPCs">
          <VpcRows vpcs={props.vpcs} subnets={props.subnets} />
        </Live>
      </Table>
      <h2>Create a VPC</h2>
      <Form c={c} action="/console/vpc/vpcs" failure={failure} submit="Create VPC" label="Create a VPC">
        <Field name="name" label="Name" failure={failure} required hint="Up to 64 letters, digits, _ - and ." />
        <Field
          name="cidr"
          label="CIDR block"
          failure={failure}
          value="192.168.0.0/16"
          required
          hint="A private range: within 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, from /8 to /28."
        />
        <Field name="description" label="Description" failure={failure} />
      </Form>
    </ConsolePage>
  );
}

/** The subnet rows of one VPC, also served alone to the live region. */
export function SubnetRows({ c, vpc, subnets }: { c: AppContext; vpc: Vpc; subnets: VpcSubnet[] }) {
  if (!subnets.length) return <Empty cols={6}>No subnet in this VPC yet: add one below.</Empty>;
  return (
    <>
      {subnets.map(({ network, subnet }) => (
        <tr data-busy={busy(subnet.status)}>
          <th scope="row">{subnet.name || network.id}</th>
          <td>{subnet.cidr}</td>
          <td>{subnet.gatewayIp ?? ''}</td>
          <td>{subnet.availabilityZone ?? 'any'}</td>
          <td>
            <Status value={subnet.status} />
          </td>
          <td>
            <Actions>
              <ActionButton
                c={c}
                action={`/console/vpc/vpcs/${vpc.id}/subnets/${network.id}/delete`}
                label="Delete"
                danger
                title={`Delete subnet ${subnet.name}`}
              />
            </Actions>
          </td>
        </tr>
      ))}
    </>
  );
}

/** One VPC's page: what it is, its subnets, the form that adds one, and its deletion. */
export function VpcPage(props: {
  c: AppContext;
  vpc: Vpc;
  subnets: VpcSubnet[];
  zones: string[];
  subnetFailure?: Failure | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, vpc, subnetFailure: failure } = props;
  return (
    <ConsolePage c={c} title={`VPC ${vpc.name}`} section="vpc">
      <h1>VPC {vpc.name || vpc.id}</h1>
      <VpcNav current="vpcs" />
      <Refusal failure={props.refusal} />
      <dl class="facts">
        <dt>ID</dt>
        <dd>{vpc.id}</dd>
        <dt>CIDR block</dt>
        <dd>{vpc.cidr ?? 'none'}</dd>
        <dt>Status</dt>
        <dd>
          <Status value={vpcStatus(vpc)} />
        </dd>
        <dt>Description</dt>
        <dd>{vpc.description || '—'}</dd>
        <dt>Internet</dt>
        <dd>
          {vpc.gateway ? 'connected (SNAT through the external network)' : 'not connected'}
          <ActionButton
            c={c}
            action={`/console/vpc/vpcs/${vpc.id}/gateway`}
            label={vpc.gateway ? 'Disconnect' : 'Connect to the Internet'}
            fields={vpc.gateway ? {} : { connected: 'on' }}
          />
        </dd>
      </dl>
      <Table caption={`Subnets of ${vpc.name || vpc.id}`} head={['Name', 'CIDR block', 'Gateway', 'Zone', 'Status', 'Actions']}>
        <Live src={`/console/vpc/vpcs/${vpc.id}/subnets/rows`} label="Subnets">
          <SubnetRows c={c} vpc={vpc} subnets={props.subnets} />
        </Live>
      </Table>
      <h2>Add a subnet</h2>
      <Form c={c} action={`/console/vpc/vpcs/${vpc.id}/subnets`} failure={failure} submit="Create subnet" label="Add a subnet">
        <Field name="name" label="Name" failure={failure} required />
        <Field
          name="cidr"
          label="CIDR block"
          failure={failure}
          required
          hint={`Inside the VPC's ${vpc.cidr ?? 'range'}, such as 192.168.1.0/24.`}
        />
        <Field name="gateway_ip" label="Gateway" failure={failure} hint="Leave empty for the first address of the block." />
        <Select
          name="availability_zone"
          label="Availability zone"
          failure={failure}
          none="Any zone"
          options={props.zones.map((z) => ({ value: z, label: z }))}
        />
        <Field name="primary_dns" label="DNS server" failure={failure} hint="Optional: an IPv4 address." />
        <Check name="dhcp_enable" label="Hand out addresses by DHCP" checked failure={failure} />
      </Form>
      <h2>Delete this VPC</h2>
      <p>A VPC can be deleted once it has no subnets, peerings or VPN services.</p>
      <ActionButton c={c} action={`/console/vpc/vpcs/${vpc.id}/delete`} label="Delete VPC" danger title={`Delete VPC ${vpc.name}`} />
    </ConsolePage>
  );
}
