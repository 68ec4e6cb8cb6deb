/**
 * Security groups: the project's groups (the default one among them) and the form that creates one; a group's
 * page lists its rules, each removable, with the form that adds one.
 */

import type { SecurityGroup, SecurityGroupRule } from '../../../schema/tenant.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Refusal, Select, Table } from '../kit.tsx';
import { VpcNav } from './parts.tsx';

/** The security groups page. */
export function GroupsPage(props: {
  c: AppContext;
  groups: SecurityGroup[];
  rules: SecurityGroupRule[];
  failure?: Failure | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, failure } = props;
  return (
    <ConsolePage c={c} title="Security groups" section="vpc">
      <h1>Security groups</h1>
      <VpcNav current="security-groups" />
      <Refusal failure={props.refusal} />
      <Table caption="Security groups" head={['Name', 'Description', 'Rules', 'Actions']}>
        <tbody>
          {props.groups.length === 0 && <Empty cols={4}>No security group yet.</Empty>}
          {props.groups.map((g) => (
            <tr>
              <th scope="row">
                <a href={`/console/vpc/security-groups/${g.id}`}>{g.name}</a>
              </th>
              <td>{g.description}</td>
              <td class="num">{props.rules.filter((r) => r.securityGroupId === g.id).length}</td>
              <td>
                {g.name !== 'default' && (
                  <Actions>
                    <ActionButton
                      c={c}
                      action={`/console/vpc/security-groups/${g.id}/delete`}
                      label="Delete"
                      danger
                      title={`Delete security group ${g.name}`}
                    />
                  </Actions>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Create a security group</h2>
      <Form c={c} action="/console/vpc/security-groups" failure={failure} submit="Create security group" label="Create a security group">
        <Field name="name" label="Name" failure={failure} required />
        <Field name="description" label="Description" failure={failure} />
      </Form>
    </ConsolePage>
  );
}

/** A rule's ports in words: any, one port, or a range (ICMP: type and code). */
function ports(r: SecurityGroupRule): string {
  if (r.portRangeMin === null && r.portRangeMax === null) return 'any';
  if (r.protocol === 'icmp') return `type ${r.portRangeMin ?? 'any'}, code ${r.portRangeMax ?? 'any'}`;
  return r.portRangeMin === r.portRangeMax ? String(r.portRangeMin) : `${r.portRangeMin ?? ''}–${r.portRangeMax ?? ''}`;
}

/** A rule's other end: an address block, another group, or anywhere. */
function remote(r: SecurityGroupRule, groups: SecurityGroup[]): string {
  if (r.remoteGroupId) return `group ${groups.find((g) => g.id === r.remoteGroupId)?.name ?? r.remoteGroupId}`;
  return r.remoteIpPrefix ?? (r.ethertype === 'IPv6' ? '::/0' : '0.0.0.0/0');
}

const PROTOCOLS = [
  { value: 'tcp', label: 'TCP' },
  { value: 'udp', label: 'UDP' },
  { value: 'icmp', label: 'ICMP' },
];

/** One security group's page: its rules and the form that adds one. */
export function GroupPage(props: {
  c: AppContext;
  group: SecurityGroup;
  groups: SecurityGroup[];
  rules: SecurityGroupRule[];
  failure?: Failure | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, group, failure } = props;
  const base = `/console/vpc/security-groups/${group.id}`;
  return (
    <ConsolePage c={c} title={`Security group ${group.name}`} section="vpc">
      <h1>Security group {group.name}</h1>
      <VpcNav current="security-groups" />
      <Refusal failure={props.refusal} />
      <p>{group.description}</p>
      <Table caption={`Rules of ${group.name}`} head={['Direction', 'Type', 'Protocol', 'Ports', 'Remote', 'Actions']}>
        <tbody>
          {props.rules.length === 0 && <Empty cols={6}>No rule: nothing passes.</Empty>}
          {props.rules.map((r) => (
            <tr>
              <th scope="row">{r.direction}</th>
              <td>{r.ethertype}</td>
              <td>{r.protocol ?? 'any'}</td>
              <td>{ports(r)}</td>
              <td>{remote(r, props.groups)}</td>
              <td>
                <Actions>
                  <ActionButton
                    c={c}
                    action={`${base}/rules/${r.id}/delete`}
                    label="Remove"
                    danger
                    title={`Remove the ${r.direction} rule ${r.id}`}
                  />
                </Actions>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Add a rule</h2>
      <Form c={c} action={`${base}/rules`} failure={failure} submit="Add rule" label="Add a rule">
        <Select
          name="direction"
          label="Direction"
          failure={failure}
          value="ingress"
          options={[
            { value: 'ingress', label: 'Inbound (ingress)' },
            { value: 'egress', label: 'Outbound (egress)' },
          ]}
        />
        <Select
          name="ethertype"
          label="Type"
          failure={failure}
          value="IPv4"
          options={['IPv4', 'IPv6'].map((v) => ({ value: v, label: v }))}
        />
        <Select name="protocol" label="Protocol" failure={failure} none="Any" value="tcp" options={PROTOCOLS} />
        <Field name="port_range_min" label="From port" type="number" failure={failure} hint="For ICMP: the type." />
        <Field
          name="port_range_max"
          label="To port"
          type="number"
          failure={failure}
          hint="Empty: the same as the first. For ICMP: the code."
        />
        <Field
          name="remote_ip_prefix"
          label="Source or destination"
          failure={failure}
          hint="An address block such as 0.0.0.0/0; empty for anywhere."
        />
        <Select
          name="remote_group_id"
          label="Or a security group"
          failure={failure}
          none="None"
          options={props.groups.map((g) => ({ value: g.id, label: g.name }))}
        />
      </Form>
    </ConsolePage>
  );
}
