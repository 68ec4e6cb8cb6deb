/** The buckets page: the account's buckets (each with its objects, settings and delete) and the form that creates one. */

import { REGIONS } from '../../../core/regions.ts';
import { CANNED_ACLS } from '../../../durable/obs/access.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import type { BucketList } from '../../../workers/obs/usecases/buckets.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Refusal, Select, Table } from '../kit.tsx';
import { sessionRegion } from '../layout.tsx';
import { bucketPath } from './parts.tsx';

/** What each canned ACL means, in words. */
export const ACL_WORDS: Record<string, string> = {
  private: 'Private: only this account',
  'public-read': 'Public read: anyone may list and read',
  'public-read-write': 'Public read and write: anyone may list, read and write',
  'authenticated-read': 'Authenticated read: any signed-in account may list and read',
  'bucket-owner-read': 'Bucket owner read (as private here)',
  'bucket-owner-full-control': 'Bucket owner full control (as private here)',
  'log-delivery-write': 'Log delivery write',
};

export const ACL_OPTIONS = CANNED_ACLS.map((value) => ({ value, label: ACL_WORDS[value] ?? value }));

export function BucketsPage(props: { c: AppContext; list: BucketList; failure?: Failure | undefined; refusal?: Failure | undefined }) {
  const { c, list, failure } = props;
  return (
    <ConsolePage c={c} title="Buckets" section="obs">
      <h1>Object Storage</h1>
      <Refusal failure={props.refusal} />
      <Table caption={`Buckets of ${list.owner.name}`} head={['Name', 'Region', 'Created', 'Actions']}>
        <tbody>
          {list.buckets.length === 0 && <Empty cols={4}>No bucket yet: create one below.</Empty>}
          {list.buckets.map((b) => (
            <tr>
              <th scope="row">
                <a href={bucketPath(b.name)}>{b.name}</a>
              </th>
              <td>{b.region}</td>
              <td>{b.createdAt}</td>
              <td>
                <Actions>
                  <a class="button quiet" href={`${bucketPath(b.name)}/settings`}>
                    Settings
                  </a>
                  <ActionButton c={c} action={`${bucketPath(b.name)}/delete`} label="Delete" danger title={`Delete bucket ${b.name}`} />
                </Actions>
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
      <h2>Create a bucket</h2>
      <Form c={c} action="/console/obs/buckets" failure={failure} submit="Create bucket" label="Create a bucket">
        <Field
          name="name"
          label="Bucket name"
          failure={failure}
          required
          hint="3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit; unique across every account."
        />
        <Select
          name="region"
          label="Region"
          failure={failure}
          value={sessionRegion(c)}
          options={REGIONS.map((r) => ({ value: r, label: r }))}
        />
        <Select name="acl" label="Access" failure={failure} value="private" options={ACL_OPTIONS} />
      </Form>
    </ConsolePage>
  );
}
