/**
 * The Console's workload page (Cloud Eye section): what each server's simulated guest runs, and a form to set it
 * (a constant load, or a sine between two levels, with what the guest sends at full load) or make it idle. The
 * servers' metrics, and the traffic billed through their EIPs, follow it. It calls the API's one use case.
 */

import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { AppliedProfile, LoadProfile } from '../../../core/ces/load-profile.ts';
import { setWorkload, workloadsOf } from '../../../workers/ces/usecases/workloads.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { ConsolePage, Empty, type Failure, Field, Form, f, fieldError, Refusal, Select, Table } from '../kit.tsx';

const HEAD = ['Server', 'Workload', 'Since'];

/** A workload in words. */
function describe(w: AppliedProfile | null): string {
  if (!w) return 'idle (1 % CPU, no traffic)';
  const p = w.profile;
  const out = p.network_out_bytes_rate ? `, sends up to ${p.network_out_bytes_rate} B/s` : '';
  switch (p.shape) {
    case 'constant':
      return `constant ${p.level} %${out}`;
    case 'sine':
      return `sine ${p.min} to ${p.max} % over ${p.period_s} s${out}`;
    case 'steps':
      return `${p.steps.length} steps${out}`;
    case 'series':
      return `a series of ${p.levels.length} levels every ${p.interval_s} s${out}`;
  }
}

/** The workload page, the section's tabs given by the section. */
export async function renderWorkloads(c: AppContext, tabs: Child, failure?: Failure) {
  const caller = callerOf(c);
  const { servers } = await c.env.TENANT.getByName(caller.projectId).list(['servers']);
  const placed = servers.flatMap((s) => (s.hostId ? [{ ...s, hostId: s.hostId }] : [])).sort((a, b) => a.name.localeCompare(b.name));
  const workloads = await workloadsOf(caller, placed);
  return c.html(
    <ConsolePage c={c} title="Workloads — Cloud Eye" section="ces">
      <h1>Cloud Eye</h1>
      {tabs}
      <p>The hosts of this cloud are simulated: each server's guest runs the workload set here, and its metrics follow.</p>
      <Refusal failure={failure} shown={failure?.field} />
      <Table caption="What each server runs" head={HEAD}>
        <tbody>
          {placed.length === 0 ? (
            <Empty cols={HEAD.length}>No server runs on a host yet.</Empty>
          ) : (
            placed.map((s, i) => (
              <tr data-server={s.id}>
                <td>{s.name}</td>
                <td>{describe(workloads[i] ?? null)}</td>
                <td>{workloads[i] ? new Date(workloads[i]!.appliedAt).toISOString().slice(0, 19).replace('T', ' ') : '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
      <h2>Set a workload</h2>
      <Form c={c} action="/console/ces/workloads" submit="Set workload" failure={failure} label="Set a workload">
        <Select name="server" label="Server" options={placed.map((s) => ({ value: s.id, label: s.name }))} failure={failure} required />
        <Select
          name="shape"
          label="Shape"
          options={[
            { value: 'constant', label: 'Constant' },
            { value: 'sine', label: 'Sine between two levels' },
            { value: 'idle', label: 'Idle' },
          ]}
          failure={failure}
        />
        <Field name="level" label="Level (%)" hint="For a constant load." failure={failure} value="50" />
        <Field name="min" label="Lowest level (%)" hint="For a sine." failure={failure} value="10" />
        <Field name="max" label="Highest level (%)" hint="For a sine." failure={failure} value="90" />
        <Field name="period" label="Period (seconds)" hint="For a sine." failure={failure} value="600" />
        <Field
          name="network_out"
          label="Bytes sent per second at full load"
          hint="Through an EIP this is billed traffic."
          failure={failure}
          value="0"
        />
      </Form>
    </ConsolePage>,
  );
}

const level = (what: string) => f.int(what, 0, 100);

export const workloadForm = z.object({
  server: f.text('the server'),
  shape: z.enum(['constant', 'sine', 'idle'], { error: 'Choose a shape.' }),
  level: level('the level'),
  min: level('the lowest level'),
  max: level('the highest level'),
  period: f.int('the period', 1, 31_536_000),
  network_out: f.int('the bytes sent per second', 0, 100_000_000_000),
});

/** Sets the workload the form describes. */
export async function submitWorkload(c: AppContext, v: z.output<typeof workloadForm>) {
  if (v.shape === 'sine' && v.min > v.max) fieldError('min', 'The lowest level is at most the highest.');
  const rates = v.network_out ? { network_out_bytes_rate: v.network_out } : {};
  const profile: LoadProfile | null =
    v.shape === 'idle'
      ? null
      : v.shape === 'constant'
        ? { shape: 'constant', level: v.level, ...rates }
        : { shape: 'sine', min: v.min, max: v.max, period_s: v.period, ...rates };
  await setWorkload(callerOf(c), v.server, profile);
}
