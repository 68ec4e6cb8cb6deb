/**
 * A bucket's object browser: the folders (common prefixes of `/`) and objects under the current prefix, a page
 * at a time, each object with its download and delete; the upload form (a plain form post without JavaScript, a
 * multipart upload in parts with a progress bar with it: obs-upload.client.js) and the form that makes a folder.
 */

import type { ListPage } from '../../../durable/obs/listing.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { ActionButton, Actions, ConsolePage, Empty, type Failure, Field, Form, Refusal, Script, Table } from '../kit.tsx';
import { Breadcrumbs, BucketNav, bucketPath, bytes } from './parts.tsx';

export interface BrowserProps {
  c: AppContext;
  bucket: string;
  prefix: string;
  /** Where this page starts (after this key), '' on the first. */
  after: string;
  page: ListPage;
  upload?: Failure | undefined;
  folder?: Failure | undefined;
  refusal?: Failure | undefined;
}

/** The path of an object's download. */
export const downloadPath = (bucket: string, key: string) => `${bucketPath(bucket)}/object?key=${encodeURIComponent(key)}`;

function Rows({ c, bucket, prefix, page }: Pick<BrowserProps, 'c' | 'bucket' | 'prefix' | 'page'>) {
  const base = bucketPath(bucket);
  const empty = !page.commonPrefixes.length && !page.contents.length;
  return (
    <tbody>
      {empty && <Empty cols={5}>{prefix ? 'This folder is empty.' : 'No object yet: upload a file below.'}</Empty>}
      {page.commonPrefixes.map((p) => (
        <tr>
          <th scope="row">
            <a href={bucketPath(bucket, p)}>{p.slice(prefix.length)}</a>
          </th>
          <td>Folder</td>
          <td />
          <td />
          <td />
        </tr>
      ))}
      {page.contents.map((o) => (
        <tr>
          <th scope="row">{o.key.slice(prefix.length)}</th>
          <td class="num">{bytes(o.size)}</td>
          <td>{o.lastModified}</td>
          <td>{o.storageClass}</td>
          <td>
            <Actions>
              <a class="button quiet" href={downloadPath(bucket, o.key)} download aria-label={`Download ${o.key}`}>
                Download
              </a>
              <ActionButton
                c={c}
                action={`${base}/objects/delete`}
                label="Delete"
                danger
                fields={{ key: o.key, prefix }}
                title={`Delete ${o.key}`}
              />
            </Actions>
          </td>
        </tr>
      ))}
    </tbody>
  );
}

function Paging({ bucket, prefix, after, page }: Pick<BrowserProps, 'bucket' | 'prefix' | 'after' | 'page'>) {
  if (!after && !page.truncated) return null;
  const at = (from: string) => `${bucketPath(bucket)}?${new URLSearchParams({ prefix, after: from })}`;
  return (
    <nav aria-label="Pages" class="actions">
      {after && <a href={bucketPath(bucket, prefix)}>First page</a>}
      {page.truncated && page.last !== null && (
        <a href={at(page.last)} rel="next">
          Next page
        </a>
      )}
    </nav>
  );
}

function UploadForm({ c, bucket, prefix, failure }: { c: AppContext; bucket: string; prefix: string; failure?: Failure | undefined }) {
  const base = bucketPath(bucket);
  return (
    <div id="uploader" data-uploads={`${base}/uploads`} data-prefix={prefix} data-browse={bucketPath(bucket, prefix)}>
      <Form
        c={c}
        action={`${base}/objects`}
        enctype="multipart/form-data"
        id="upload-form"
        label="Upload a file"
        submit="Upload"
        failure={failure}
      >
        <input type="hidden" name="prefix" value={prefix} />
        <Field name="file" label="File" type="file" failure={failure} required />
        <Field
          name="name"
          label="Object name"
          failure={failure}
          hint={`Stored in ${prefix ? `the folder ${prefix}` : 'the bucket root'}; the file's own name when left empty.`}
        />
      </Form>
      <div id="upload-progress-box" hidden>
        <label for="upload-progress">Upload progress</label>
        <progress id="upload-progress" max={100} value={0} />
        <p id="upload-message" role="status" aria-live="polite" />
      </div>
    </div>
  );
}

export function BrowserPage(props: BrowserProps) {
  const { c, bucket, prefix } = props;
  return (
    <ConsolePage c={c} title={`${bucket}${prefix ? ` / ${prefix}` : ''}`} section="obs">
      <h1>Bucket {bucket}</h1>
      <BucketNav bucket={bucket} current="objects" />
      <Breadcrumbs bucket={bucket} prefix={prefix} />
      <Refusal failure={props.refusal} />
      <Table
        caption={prefix ? `Objects in ${prefix}` : `Objects in ${bucket}`}
        head={['Name', 'Size', 'Last modified', 'Storage class', 'Actions']}
      >
        <Rows c={c} bucket={bucket} prefix={prefix} page={props.page} />
      </Table>
      <Paging bucket={bucket} prefix={prefix} after={props.after} page={props.page} />
      <h2>Upload a file</h2>
      <UploadForm c={c} bucket={bucket} prefix={prefix} failure={props.upload} />
      <h2>Create a folder</h2>
      <Form c={c} action={`${bucketPath(bucket)}/folders`} failure={props.folder} submit="Create folder" label="Create a folder">
        <input type="hidden" name="prefix" value={prefix} />
        <Field name="folder" label="Folder name" failure={props.folder} required hint="A name without slashes." />
      </Form>
      <Script src="obs-upload" />
    </ConsolePage>
  );
}
