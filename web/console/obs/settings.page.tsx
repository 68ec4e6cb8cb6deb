/** A bucket's settings page: its facts, versioning, its access (a canned ACL), and its lifecycle rules. */

import type { BucketRow } from '../../../durable/obs/access.ts';
import type { LifecycleRule } from '../../../durable/obs/lifecycle.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { ActionButton, ConsolePage, Empty, type Failure, Field, Form, Refusal, Select, Table } from '../kit.tsx';
import { ACL_OPTIONS } from './buckets.page.tsx';
import { BucketNav, bucketPath } from './parts.tsx';

export interface SettingsProps {
  c: AppContext;
  bucket: BucketRow;
  versioning: 'Enabled' | 'Suspended' | null;
  /** The canned ACL the bucket's ACL is, or null for grants of its own. */
  acl: string | null;
  rules: LifecycleRule[];
  failures?: { versioning?: Failure; acl?: Failure; lifecycle?: Failure; refusal?: Failure };
}

/** What a rule applies to, in words. */
function scopeOf(r: LifecycleRule): string {
  const f = r.filter;
  const parts = [f.prefix ? `keys starting with ${f.prefix}` : 'every object'];
  if (f.tags.length) parts.push(`tagged ${f.tags.map((t) => `${t.key}=${t.value}`).join(', ')}`);
  if (f.sizeGreaterThan !== undefined) parts.push(`over ${f.sizeGreaterThan} bytes`);
  if (f.sizeLessThan !== undefined) parts.push(`under ${f.sizeLessThan} bytes`);
  return parts.join(', ');
}

/** What a rule does, in words. */
function actionsOf(r: LifecycleRule): string {
  const out: string[] = [];
  const e = r.expiration;
  if (e?.days !== undefined) out.push(`deleted ${e.days} days after they were written`);
  if (e?.date) out.push(`deleted on ${e.date.slice(0, 10)}`);
  if (e?.expiredObjectDeleteMarker) out.push('lone delete markers removed');
  for (const t of r.transitions ?? [])
    out.push(`moved to ${t.storageClass} ${t.days !== undefined ? `after ${t.days} days` : `on ${t.date?.slice(0, 10)}`}`);
  if (r.noncurrentExpiration) out.push(`old versions deleted after ${r.noncurrentExpiration.noncurrentDays} days`);
  for (const t of r.noncurrentTransitions ?? []) out.push(`old versions moved to ${t.storageClass} after ${t.noncurrentDays} days`);
  if (r.abortIncompleteMultipartUpload)
    out.push(`unfinished uploads aborted after ${r.abortIncompleteMultipartUpload.daysAfterInitiation} days`);
  return out.join('; ');
}

function LifecycleTable({ c, bucket, rules }: { c: AppContext; bucket: string; rules: LifecycleRule[] }) {
  return (
    <Table caption="Lifecycle rules" head={['Rule', 'Applies to', 'Does', 'Status', 'Actions']}>
      <tbody>
        {rules.length === 0 && <Empty cols={5}>No lifecycle rule: objects stay until they are deleted.</Empty>}
        {rules.map((r) => (
          <tr>
            <th scope="row">{r.id}</th>
            <td>{scopeOf(r)}</td>
            <td>{actionsOf(r)}</td>
            <td>{r.enabled ? 'Enabled' : 'Disabled'}</td>
            <td>
              <ActionButton
                c={c}
                action={`${bucketPath(bucket)}/settings/lifecycle/delete`}
                label="Delete"
                danger
                fields={{ id: r.id }}
                title={`Delete rule ${r.id}`}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function SettingsPage(props: SettingsProps) {
  const { c, bucket: b, failures = {} } = props;
  const base = `${bucketPath(b.name)}/settings`;
  return (
    <ConsolePage c={c} title={`${b.name} settings`} section="obs">
      <h1>Bucket {b.name}: settings</h1>
      <BucketNav bucket={b.name} current="settings" />
      <Refusal failure={failures.refusal} />
      <dl class="facts">
        <dt>Region</dt>
        <dd>{b.region}</dd>
        <dt>Created</dt>
        <dd>{b.createdAt}</dd>
        <dt>Owner</dt>
        <dd>{b.ownerDomainName}</dd>
        <dt>Default storage class</dt>
        <dd>{b.defaultStorageClass}</dd>
      </dl>
      <h2>Versioning</h2>
      <p>
        {props.versioning === 'Enabled'
          ? 'Versioning is on: an overwritten or deleted object keeps its earlier versions.'
          : props.versioning === 'Suspended'
            ? 'Versioning is suspended: earlier versions are kept, new writes replace the current one.'
            : 'Versioning is off: an overwritten or deleted object is gone.'}
      </p>
      <Form c={c} action={`${base}/versioning`} failure={failures.versioning} submit="Save versioning" label="Versioning">
        <Select
          name="status"
          label="Versioning"
          failure={failures.versioning}
          value={props.versioning ?? 'Suspended'}
          options={[
            { value: 'Enabled', label: 'Enabled' },
            { value: 'Suspended', label: props.versioning ? 'Suspended' : 'Off (suspended)' },
          ]}
        />
      </Form>
      <h2>Access</h2>
      {props.acl === null && <p>This bucket has grants of its own (set through the S3 API); saving a choice below replaces them.</p>}
      <Form c={c} action={`${base}/acl`} failure={failures.acl} submit="Save access" label="Access">
        <Select name="acl" label="Access control list" failure={failures.acl} value={props.acl ?? undefined} options={ACL_OPTIONS} />
      </Form>
      <h2>Lifecycle</h2>
      <LifecycleTable c={c} bucket={b.name} rules={props.rules} />
      <h3>Add an expiration rule</h3>
      <Form c={c} action={`${base}/lifecycle`} failure={failures.lifecycle} submit="Add rule" label="Add an expiration rule">
        <Field name="id" label="Rule name" failure={failures.lifecycle} required hint="Unique in this bucket, up to 255 characters." />
        <Field name="prefix" label="Key prefix" failure={failures.lifecycle} hint="Only objects whose key starts with it; empty for all." />
        <Field name="days" label="Days after writing" type="number" min={1} failure={failures.lifecycle} required value={30} />
      </Form>
    </ConsolePage>
  );
}
