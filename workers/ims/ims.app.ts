/**
 * IMS under `/ims`: Glance v2 reading the public images of the catalogue (private images come with the images
 * issue). The SDK resolves `--image NAME` through the unversioned discovery document at `/ims`.
 */
import { act, publicRoute } from '../auth/middleware.ts';
import { catalogueImages, type ImageRow } from '../directory/catalogue.ts';
import { family, router } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { pairs, queryPairs } from '../lib/validate.ts';

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

/**
 * The query of the image list: filters on image fields (a repeated key or `in:a,b` means any of), then marker and
 * limit. The limit is not checked (what is not a number gives an empty page); sorting and other keys are ignored.
 */
const listQuery = pairs.transform((q) => {
  const first = (key: string) => q.find(([k]) => k === key)?.[1];
  const filters = new Map<string, string[]>();
  for (const [key, value] of q) {
    if (FILTERS.has(key))
      filters.set(key, [...(filters.get(key) ?? []), ...(value.startsWith('in:') ? value.slice(3).split(',') : [value])]);
  }
  const limit = first('limit');
  return { filters, marker: first('marker'), limit: limit ? Number(limit) : undefined };
});

imsApp.get('/v2/images', act('ims:images:list'), async (c) => {
  const q = queryPairs(c, listQuery);
  const origin = new URL(c.req.url).origin;
  let items = (await catalogueImages(c.env)).map((i) => imageView(origin, i));
  for (const [key, wanted] of q.filters) items = items.filter((i) => wanted.includes(String((i as Record<string, unknown>)[key])));
  const { marker, limit } = q;
  if (marker) {
    const at = items.findIndex((i) => i.id === marker);
    if (at < 0) throw badRequest(`marker ${marker} could not be found.`);
    items = items.slice(at + 1);
  }
  const page = limit !== undefined ? items.slice(0, limit) : items;
  const next = limit !== undefined && items.length > limit ? `/ims/v2/images?limit=${limit}&marker=${page.at(-1)?.id}` : undefined;
  return c.json({ images: page, schema: '/v2/schemas/images', first: '/ims/v2/images', ...(next ? { next } : {}) });
});

imsApp.get('/v2/images/:id', act('ims:images:get'), async (c) => {
  const found = (await catalogueImages(c.env)).find((i) => i.id === c.req.param('id'));
  if (!found) throw notFound(`No image found with ID ${c.req.param('id')}`);
  return c.json(imageView(new URL(c.req.url).origin, found));
});
