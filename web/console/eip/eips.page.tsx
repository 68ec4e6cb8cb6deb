/**
 * Elastic IPs: the project's addresses with their bandwidth and what they are bound to, the form that allocates
 * one, and a page that binds one to a server's NIC. An address is PENDING_CREATE for a moment: its row follows.
 */
import { BANDWIDTH_RANGE } from '../../../durable/vpc/eips.ts';
import type { Bandwidth, ElasticIp } from '../../../schema/tenant.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import type { ProjectEips, ServerNic } from '../../../workers/vpc/usecases/eips.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Live, Refusal, Select, Status, Table } from '../kit.tsx';

/** A server's NIC as a person picks it: the server's name and the NIC's address. */
export const nicLabel = ({ server, port }: ServerNic) => `${server.name} — ${port.fixedIps.map((f) => f.ip_address).join(', ') || port.id}`;

/** What an address is bound to, in words. */
function boundTo(e: ElasticIp, nics: ServerNic[]): string {
  if (!e.portId) return 'not bound';
  const nic = nics.find((n) => n.port.id === e.portId);
  return nic ? nicLabel(nic) : `port ${e.portId}${e.fixedIpAddress ? ` (${e.fixedIpAddress})` : ''}`;
}

/** An address's status in the Console's words: the API's DOWN and ACTIVE are whether it is bound. */
const statusOf = (e: ElasticIp) => (e.status === 'DOWN' ? 'UNBOUND' : e.status === 'ACTIVE' ? 'BOUND' : e.status);

const bandwidthOf = (e: ElasticIp, bandwidths: Bandwidth[]) => bandwidths.find((b) => b.id === e.bandwidthId);

/** The rows of the EIP table, also served alone to the live region. */
export function EipRows({ c, eips, nics }: { c: AppContext; eips: ProjectEips; nics: ServerNic[] }) {
  if (!eips.eips.length) return <Empty cols={5}>No Elastic IP yet: allocate one below.</Empty>;
  return (
    <>
      {eips.eips.map((e) => {
        const b = bandwidthOf(e, eips.bandwidths);
        const label = e.address ?? e.id;
        return (
          <tr>
            <th scope="row">{e.address ?? 'being allocated'}</th>
            <td>
              <Status value={statusOf(e)} />
            </td>
            <td>{b ? `${b.size} Mbit/s (${b.chargeMode === 'traffic' ? 'by traffic' : 'by bandwidth'})` : ''}</td>
            <td>{boundTo(e, nics)}</td>
            <td>
              <Actions>
                {e.portId ? (
                  <ActionButton c={c} action={`/console/eip/eips/${e.id}/unbind`} label="Unbind" title={`Unbind ${label}`} />
                ) : (
                  e.address && (
                    <a class="button quiet" href={`/console/eip/eips/${e.id}/bind`} aria-label={`Bind ${label}`}>
                      Bind
                    </a>
                  )
                )}
                <ActionButton c={c} action={`/console/eip/eips/${e.id}/release`} label="Release" danger title={`Release ${label}`} />
              </Actions>
            </td>
          </tr>
        );
      })}
    </>
  );
}

/** The Elastic IPs page. */
export function EipsPage(props: {
  c: AppContext;
  eips: ProjectEips;
  nics: ServerNic[];
  failure?: Failure | undefined;
  refusal?: Failure | undefined;
}) {
  const { c, failure } = props;
  return (
    <ConsolePage c={c} title="Elastic IPs" section="eip">
      <h1>Elastic IPs</h1>
      <Refusal failure={props.refusal} />
      <Table caption="Elastic IPs" head={['Address', 'Status', 'Bandwidth', 'Bound to', 'Actions']}>
        <Live src="/console/eip/eips/rows" label="Elastic IPs">
          <EipRows c={c} eips={props.eips} nics={props.nics} />
        </Live>
      </Table>
      <h2>Allocate an Elastic IP</h2>
      <Form c={c} action="/console/eip/eips" failure={failure} submit="Allocate EIP" label="Allocate an Elastic IP">
        <Field
          name="bandwidth_size"
          label="Bandwidth (Mbit/s)"
          type="number"
          min={BANDWIDTH_RANGE.min}
          max={BANDWIDTH_RANGE.max}
          value={5}
          failure={failure}
          required
          hint={`From ${BANDWIDTH_RANGE.min} to ${BANDWIDTH_RANGE.max} Mbit/s, dedicated to this address.`}
        />
        <Select
          name="charge_mode"
          label="Billed"
          failure={failure}
          value="traffic"
          options={[
            { value: 'traffic', label: 'By traffic' },
            { value: 'bandwidth', label: 'By bandwidth' },
          ]}
        />
        <Field name="bandwidth_name" label="Bandwidth name" failure={failure} hint="Optional." />
      </Form>
    </ConsolePage>
  );
}

/** The page that binds one Elastic IP to a server's NIC. */
export function BindPage(props: { c: AppContext; eip: ElasticIp; nics: ServerNic[]; failure?: Failure | undefined }) {
  const { c, eip, failure } = props;
  return (
    <ConsolePage c={c} title={`Bind ${eip.address ?? eip.id}`} section="eip">
      <h1>Bind {eip.address ?? eip.id}</h1>
      {props.nics.length === 0 ? (
        <p>
          No server has a NIC to bind to yet. <a href="/console/eip/eips">Back to the Elastic IPs</a>
        </p>
      ) : (
        <Form c={c} action={`/console/eip/eips/${eip.id}/bind`} failure={failure} submit="Bind" label={`Bind ${eip.address ?? eip.id}`}>
          <Select
            name="port_id"
            label="Server NIC"
            failure={failure}
            required
            options={props.nics.map((n) => ({ value: n.port.id, label: nicLabel(n) }))}
            hint="The server and the private address the Elastic IP will reach."
          />
        </Form>
      )}
    </ConsolePage>
  );
}
