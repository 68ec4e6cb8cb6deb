/**
 * IMS under `/ims`: Glance v2 reading the public images of the catalogue (private images come with the images
 * issue). The SDK resolves `--image NAME` through the unversioned discovery document at `/ims`.
 */
import { act, publicRoute } from '../auth/middleware.ts';
import { catalogueImages, type ImageRow } from '../directory/catalogue.ts';
import { family, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';

/** A Glance v2 image. */
export function imageView(origin: string, i: ImageRow) {
  return {
    id: i.id,
    name: i.name,
    status: 'active',
    visibility: 'public',
    protected: true,
    os_hidden: false,
    owner: '',
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    min_disk: i.minDiskGb,
    min_ram: i.minRamMb,
    size: i.sizeBytes,
    virtual_size: null,
    disk_format: i.diskFormat,
    container_format: 'bare',
    created_at: i.createdAt,
    updated_at: i.createdAt,
    tags: [],
    os_type: i.osType.toLowerCase(),
    __os_version: i.osVersion,
    __platform: i.platform,
    __imagetype: 'gold',
    __os_bit: '64',
    virtual_env_type: i.virtualEnvType,
    __support_kvm: i.virtualEnvType === 'Ironic' ? 'false' : 'true',
    __support_baremetal: i.virtualEnvType === 'Ironic' ? 'true' : 'false',
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
    links: [{ rel: 'self', href: `${origin}/ims/v2/images/${i.id}` }],
  };
}

const FILTERS = new Set([
  'name',
  'status',
  'visibility',
  'disk_format',
  'container_format',
  'os_type',
  '__platform',
  '__imagetype',
  'virtual_env_type',
  'protected',
  'id',
]);

export const imsApp = router();
imsApp.use(family('nova'));

imsApp.get('/', publicRoute('version discovery'), (c) => {
  const origin = new URL(c.req.url).origin;
  return c.json(
    {
      versions: ['v2.9', 'v2.0'].map((id, i) => ({
        id,
        status: i === 0 ? 'CURRENT' : 'SUPPORTED',
        links: [{ rel: 'self', href: `${origin}/ims/v2/` }],
      })),
    },
    300,
  );
});

imsApp.get('/v2/images', act('ims:images:list'), async (c) => {
  const q = new URL(c.req.url).searchParams;
  const origin = new URL(c.req.url).origin;
  let items = (await catalogueImages(c.env)).map((i) => imageView(origin, i));
  for (const key of new Set(q.keys())) {
    if (['limit', 'marker', 'sort_key', 'sort_dir', 'sort', 'member_status', 'owner'].includes(key)) continue;
    if (!FILTERS.has(key)) continue;
    const wanted = q.getAll(key).flatMap((v) => (v.startsWith('in:') ? v.slice(3).split(',') : [v]));
    items = items.filter((i) => wanted.includes(String((i as Record<string, unknown>)[key])));
  }
  const marker = q.get('marker');
  if (marker) {
    const at = items.findIndex((i) => i.id === marker);
    if (at < 0) throw badRequest(`marker ${marker} could not be found.`);
    items = items.slice(at + 1);
  }
  const limit = q.get('limit') ? Number(q.get('limit')) : undefined;
  const page = limit !== undefined ? items.slice(0, limit) : items;
  const next = limit !== undefined && items.length > limit ? `/ims/v2/images?limit=${limit}&marker=${page.at(-1)?.id}` : undefined;
  return c.json({ images: page, schema: '/v2/schemas/images', first: '/ims/v2/images', ...(next ? { next } : {}) });
});

imsApp.get('/v2/images/:id', act('ims:images:get'), async (c) => {
  const found = (await catalogueImages(c.env)).find((i) => i.id === c.req.param('id'));
  if (!found) throw notFound(`No image found with ID ${c.req.param('id')}`);
  return c.json(imageView(new URL(c.req.url).origin, found));
});
