/**
 * VPN: IKE and IPsec policies, VPN services on a VPC (through one of its subnets) and IPsec site connections to a
 * peer gateway, each listed with its form and deletion. Services and connections are PENDING_CREATE for a moment.
 */

import type { Vpc, VpnKind, VpnObject } from '../../../schema/tenant.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import type { VpcSubnet } from '../../../workers/vpc/usecases/vpcs.ts';
import { VPN_CHOICES } from '../../../workers/vpc/usecases/vpn.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Select, Status, Table } from '../kit.tsx';
import { VpcNav, vpcLabel } from './parts.tsx';

/** The kinds the page shows, each with its path under /console/vpc/vpn and its words. */
export const VPN_KINDS = [
  { kind: 'ikepolicy', path: 'ikepolicies', title: 'IKE policies', one: 'IKE policy' },
  { kind: 'ipsecpolicy', path: 'ipsecpolicies', title: 'IPsec policies', one: 'IPsec policy' },
  { kind: 'vpnservice', path: 'vpnservices', title: 'VPN services', one: 'VPN service' },
  { kind: 'ipsec_site_connection', path: 'ipsec-site-connections', title: 'Site connections', one: 'site connection' },
] as const satisfies readonly { kind: VpnKind; path: string; title: string; one: string }[];

export type ShownKind = (typeof VPN_KINDS)[number]['kind'];

/** Everything the page shows, by kind. */
export type VpnObjects = Record<ShownKind, VpnObject[]>;

const choices = (values: readonly string[]) => values.map((v) => ({ value: v, label: v }));
const text = (o: VpnObject, key: string) => String(o.attributes[key] ?? '');
const nameOf = (objects: VpnObject[], id: string) => objects.find((o) => o.id === id)?.name || id;

/** What each kind's table shows beyond its name and status. */
function columns(kind: ShownKind, all: VpnObjects, vpcs: Vpc[]): { head: string[]; cells: (o: VpnObject) => string[] } {
  if (kind === 'ikepolicy' || kind === 'ipsecpolicy')
    return {
      head: ['Authentication', 'Encryption', 'PFS'],
      cells: (o) => [text(o, 'auth_algorithm'), text(o, 'encryption_algorithm'), text(o, 'pfs')],
    };
  if (kind === 'vpnservice') return { head: ['VPC'], cells: (o) => [vpcLabelOf(vpcs, text(o, 'router_id'))] };
  return {
    head: ['Peer gateway', 'Peer networks', 'Service'],
    cells: (o) => [
      text(o, 'peer_address'),
      ((o.attributes.peer_cidrs as string[]) ?? []).join(', '),
      nameOf(all.vpnservice, text(o, 'vpnservice_id')),
    ],
  };
}

const vpcLabelOf = (vpcs: Vpc[], id: string) => {
  const v = vpcs.find((x) => x.id === id);
  return v ? vpcLabel(v) : id;
};

/** The rows of every table, also served alone to the live region (services and connections settle). */
export function VpnTables({ c, objects, vpcs }: { c: AppContext; objects: VpnObjects; vpcs: Vpc[] }) {
  return (
    <>
      {VPN_KINDS.map(({ kind, path, title, one }) => {
        const col = columns(kind, objects, vpcs);
        return (
          <Table caption={title} head={['Name', ...col.head, 'Status', 'Actions']}>
            <tbody>
              {objects[kind].length === 0 && <Empty cols={col.head.length + 3}>No {one} yet.</Empty>}
              {objects[kind].map((o) => (
                <tr>
                  <th scope="row">{o.name || o.id}</th>
                  {col.cells(o).map((cell) => (
                    <td>{cell}</td>
                  ))}
                  <td>{o.status ? <Status value={o.status} /> : '—'}</td>
                  <td>
                    <Actions>
                      <ActionButton
                        c={c}
                        action={`/console/vpc/vpn/${path}/${o.id}/delete`}
                        label="Delete"
                        danger
                        title={`Delete ${one} ${o.name}`}
                      />
                    </Actions>
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        );
      })}
    </>
  );
}

/** The VPN page; `failed` names the form whose submission was refused. */
export function VpnPage(props: {
  c: AppContext;
  objects: VpnObjects;
  vpcs: Vpc[];
  subnets: VpcSubnet[];
  failed?: { kind: ShownKind; failure: Failure } | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, objects, vpcs } = props;
  const failureOf = (kind: ShownKind) => (props.failed?.kind === kind ? props.failed.failure : undefined);
  const ike = failureOf('ikepolicy');
  const ipsec = failureOf('ipsecpolicy');
  const service = failureOf('vpnservice');
  const conn = failureOf('ipsec_site_connection');
  const options = (kind: ShownKind) => objects[kind].map((o) => ({ value: o.id, label: o.name || o.id }));
  return (
    <ConsolePage c={c} title="VPN" section="vpc">
      <h1>VPN</h1>
      <VpcNav current="vpn" />
      <Refusal failure={props.refusal} />
      <Live src="/console/vpc/vpn/tables" as="div" label="VPN objects">
        <VpnTables c={c} objects={objects} vpcs={vpcs} />
      </Live>
      <h2>Create an IKE policy</h2>
      <Form c={c} action="/console/vpc/vpn/ikepolicies" failure={ike} submit="Create IKE policy" label="Create an IKE policy">
        <Field name="ike_name" label="Name" failure={ike} required />
        <Select name="ike_auth_algorithm" label="Authentication" failure={ike} value="sha256" options={choices(VPN_CHOICES.auth)} />
        <Select
          name="ike_encryption_algorithm"
          label="Encryption"
          failure={ike}
          value="aes-128"
          options={choices(VPN_CHOICES.encryption)}
        />
        <Select name="ike_version" label="IKE version" failure={ike} value="v1" options={choices(VPN_CHOICES.ikeVersion)} />
        <Select name="ike_pfs" label="Perfect forward secrecy" failure={ike} value="group5" options={choices(VPN_CHOICES.pfs)} />
      </Form>
      <h2>Create an IPsec policy</h2>
      <Form c={c} action="/console/vpc/vpn/ipsecpolicies" failure={ipsec} submit="Create IPsec policy" label="Create an IPsec policy">
        <Field name="ipsec_name" label="Name" failure={ipsec} required />
        <Select
          name="ipsec_transform_protocol"
          label="Transform protocol"
          failure={ipsec}
          value="esp"
          options={choices(VPN_CHOICES.transform)}
        />
        <Select name="ipsec_auth_algorithm" label="Authentication" failure={ipsec} value="sha256" options={choices(VPN_CHOICES.auth)} />
        <Select
          name="ipsec_encryption_algorithm"
          label="Encryption"
          failure={ipsec}
          value="aes-128"
          options={choices(VPN_CHOICES.encryption)}
        />
        <Select name="ipsec_pfs" label="Perfect forward secrecy" failure={ipsec} value="group5" options={choices(VPN_CHOICES.pfs)} />
      </Form>
      <h2>Create a VPN service</h2>
      <p>A VPN service needs its VPC connected to the Internet (on the VPC's page).</p>
      <Form c={c} action="/console/vpc/vpn/vpnservices" failure={service} submit="Create VPN service" label="Create a VPN service">
        <Field name="service_name" label="Name" failure={service} required />
        <Select
          name="service_subnet_id"
          label="Local subnet"
          failure={service}
          required
          options={props.subnets.map((s) => ({
            value: s.subnet.id,
            label: `${s.subnet.name} ${s.subnet.cidr} in ${vpcLabelOf(vpcs, s.vpcId)}`,
          }))}
        />
      </Form>
      <h2>Create a site connection</h2>
      <Form
        c={c}
        action="/console/vpc/vpn/ipsec-site-connections"
        failure={conn}
        submit="Create site connection"
        label="Create a site connection"
      >
        <Field name="conn_name" label="Name" failure={conn} required />
        <Select name="conn_vpnservice_id" label="VPN service" failure={conn} required options={options('vpnservice')} />
        <Select name="conn_ikepolicy_id" label="IKE policy" failure={conn} required options={options('ikepolicy')} />
        <Select name="conn_ipsecpolicy_id" label="IPsec policy" failure={conn} required options={options('ipsecpolicy')} />
        <Field
          name="conn_peer_address"
          label="Peer gateway address"
          failure={conn}
          required
          hint="The remote gateway's public IPv4 address."
        />
        <Field
          name="conn_peer_cidrs"
          label="Peer networks"
          failure={conn}
          required
          hint="Address blocks behind the peer, separated by commas."
        />
        <Field name="conn_psk" label="Pre-shared key" type="password" failure={conn} required />
      </Form>
    </ConsolePage>
  );
}
