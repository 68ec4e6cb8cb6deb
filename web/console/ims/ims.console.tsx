/**
 * The Console's IMS section, mounted at `/console/ims`: the project's private images (live rows while one is
 * being made), the public images it may boot, an image made from one of its servers, and deleting its own
 * images. Guarded by the IMS actions of the same operations, through the IMS use cases.
 */

import { z } from 'zod';
import type { Image } from '../../../schema/tenant.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { catalogueImages } from '../../../workers/directory/catalogue.ts';
import { listServers } from '../../../workers/ecs/usecases/servers.ts';
import { imsCaller } from '../../../workers/ims/context.ts';
import { imageFromServer } from '../../../workers/ims/usecases/from-server.ts';
import { deleteImage, ownImages } from '../../../workers/ims/usecases/images.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import {
  ActionButton,
  button,
  ConsolePage,
  consoleRouter,
  done,
  Empty,
  type Failure,
  Field,
  Form,
  f,
  form,
  Live,
  Refusal,
  Select,
  Status,
  Table,
} from '../kit.tsx';

const HEAD = ['Name', 'Status', 'Min. disk', 'Made from', 'Created', 'Actions'];

/** The rows of the project's own images (the live region's content). */
function ImageRows({ c, images }: { c: AppContext; images: Image[] }) {
  if (!images.length) return <Empty cols={HEAD.length}>No private images yet.</Empty>;
  return (
    <>
      {images.map((i) => (
        <tr data-image={i.id}>
          <td>{i.name ?? i.id}</td>
          <td>
            <Status value={i.status} />
          </td>
          <td>{i.minDisk} GB</td>
          <td>{i.properties.instance_uuid ? <a href={`/console/ecs/servers/${i.properties.instance_uuid}`}>server</a> : '—'}</td>
          <td>{i.createdAt}</td>
          <td>
            <ActionButton c={c} action={`/console/ims/images/${i.id}/delete`} label="Delete" danger title={`Delete ${i.name ?? i.id}`} />
          </td>
        </tr>
      ))}
    </>
  );
}

/** The images page: own images, the form that makes one from a server, the public images; a refusal on its form. */
async function renderImages(c: AppContext, failure?: Failure, on?: 'create') {
  const [own, catalogue, servers] = await Promise.all([ownImages(imsCaller(c)), catalogueImages(c.env), listServers(callerOf(c))]);
  const create = on === 'create' ? failure : undefined;
  return c.html(
    <ConsolePage c={c} title="Images" section="ims">
      <h1>Image Management Service</h1>
      <Refusal failure={failure} shown={on} />
      <Table caption="Private images" head={HEAD}>
        <Live src="/console/ims/images/rows" as="tbody" label="Private images">
          <ImageRows c={c} images={own} />
        </Live>
      </Table>
      <h2>Create an image from a server</h2>
      <Form c={c} action="/console/ims/images" submit="Create image" failure={create} label="Create an image from a server">
        <Select
          name="server"
          label="Server"
          options={servers.servers.map((s) => ({ value: s.id, label: s.name }))}
          none="Choose a server"
          required
          failure={create}
        />
        <Field name="name" label="Image name" required failure={create} />
      </Form>
      <Table caption="Public images" head={['Name', 'OS', 'Min. disk', 'Min. memory']}>
        <tbody>
          {catalogue.map((i) => (
            <tr>
              <td>{i.name}</td>
              <td>
                {i.platform} {i.osVersion}
              </td>
              <td>{i.minDiskGb} GB</td>
              <td>{i.minRamMb} MB</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </ConsolePage>,
  );
}

export const imsConsole = consoleRouter();

imsConsole.get('/', act('ims:images:list'), (c) => c.redirect('/console/ims/images', 303));
imsConsole.get('/images', act('ims:images:list'), (c) => renderImages(c));
imsConsole.get('/images/rows', act('ims:images:list'), async (c) => c.html(<ImageRows c={c} images={await ownImages(imsCaller(c))} />));

imsConsole.post(
  '/images',
  act('ims:cloudimages:create'),
  form(
    z.object({
      server: z.string({ error: 'Choose a server.' }).trim().min(1, 'Choose a server.'),
      name: f.text('a name').pipe(z.string().max(128, 'A name is at most 128 characters.')),
    }),
    async (c, input) => {
      await imageFromServer(imsCaller(c), { serverId: input.server, name: input.name });
      return done(c, '/console/ims/images', `Image ${input.name} is being made.`);
    },
    (c, failure) => renderImages(c, failure, 'create'),
  ),
);

imsConsole.post(
  '/images/:image_id/delete',
  act('ims:images:delete'),
  button(
    async (c) => {
      await deleteImage(imsCaller(c), c.req.param('image_id')!);
      return ['/console/ims/images', 'The image is deleted.'] as const;
    },
    (c, failure) => renderImages(c, failure),
  ),
);
