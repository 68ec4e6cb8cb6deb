/**
 * VPC peerings: the project's peerings as requester or accepter, accept or reject one another project asked for,
 * delete either side's, and the form that requests one (to a VPC of this project, or of another by its id).
 */

import type { Peering, Vpc } from '../../../schema/tenant.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Refusal, Select, Status, Table } from '../kit.tsx';
import { VpcNav, vpcLabel } from './parts.tsx';

/** One side of a peering in words: a VPC of this project by its name, another project's by its ids. */
function side(s: { vpc_id: string; tenant_id: string }, projectId: string, vpcs: Vpc[]): string {
  const own = s.tenant_id === projectId ? vpcs.find((v) => v.id === s.vpc_id) : undefined;
  return own ? vpcLabel(own) : s.tenant_id === projectId ? s.vpc_id : `${s.vpc_id} (project ${s.tenant_id})`;
}

/** The peerings page. */
export function PeeringsPage(props: {
  c: AppContext;
  projectId: string;
  peerings: Peering[];
  vpcs: Vpc[];
  failure?: Failure | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, failure, projectId, vpcs } = props;
  const vpcOptions = vpcs.map((v) => ({ value: v.id, label: vpcLabel(v) }));
  return (
    <ConsolePage c={c} title="VPC peerings" section="vpc">
      <h1>VPC peerings</h1>
      <VpcNav current="peerings" />
      <Refusal failure={props.refusal} />
      <Table caption="Peerings" head={['Name', 'Requesting VPC', 'Accepting VPC', 'Status', 'Actions']}>
        <tbody>
          {props.peerings.length === 0 && <Empty cols={5}>No peering yet.</Empty>}
          {props.peerings.map((p) => (
            <tr>
              <th scope="row">{p.name}</th>
              <td>{side(p.requestVpc, projectId, vpcs)}</td>
              <td>{side(p.acceptVpc, projectId, vpcs)}</td>
              <td>
                <Status value={p.status} />
              </td>
              <td>
                <Actions>
                  {p.role === 'accepter' && p.status === 'PENDING_ACCEPTANCE' && (
                    <>
                      <ActionButton
                        c={c}
                        action={`/console/vpc/peerings/${p.id}/accept`}
                        label="Accept"
                        title={`Accept peering ${p.name}`}
                      />
                      <ActionButton
                        c={c}
                        action={`/console/vpc/peerings/${p.id}/reject`}
                        label="Reject"
                        title={`Reject peering ${p.name}`}
                      />
                    </>
                  )}
                  <ActionButton
                    c={c}
                    action={`/console/vpc/peerings/${p.id}/delete`}
                    label="Delete"
                    danger
                    title={`Delete peering ${p.name}`}
                  />
                </Actions>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Request a peering</h2>
      <Form c={c} action="/console/vpc/peerings" failure={failure} submit="Request peering" label="Request a peering">
        <Field name="name" label="Name" failure={failure} required />
        <Select name="request_vpc_id" label="Local VPC" failure={failure} required options={vpcOptions} />
        <Field
          name="accept_vpc_id"
          label="Peer VPC ID"
          failure={failure}
          required
          hint={`A VPC of this project (${vpcs.map((v) => `${v.name}: ${v.id}`).join('; ') || 'none yet'}) or of another.`}
        />
        <Field
          name="accept_project_id"
          label="Peer project ID"
          failure={failure}
          hint="Empty for this project; another project must accept."
        />
        <Field name="description" label="Description" failure={failure} />
      </Form>
    </ConsolePage>
  );
}
