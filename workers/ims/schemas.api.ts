/**
 * Glance's schema documents (`/v2/schemas/image(s)`, `/v2/schemas/member(s)`) describing the images and members
 * this cloud serves, and the metadata definitions namespaces: a small set, each describing properties IMS and
 * the compute service actually read.
 */

import { IMAGE, VISIBILITIES } from '../../core/ims/states.ts';
import { CONTAINER_FORMATS, DISK_FORMATS } from '../../durable/ims/patch.ts';
import { authenticated } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';

const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
const nullableStr = (description: string, extra: Record<string, unknown> = {}) => ({ type: ['null', 'string'], description, ...extra });
const readOnly = { readOnly: true };

const IMAGE_SCHEMA = {
  name: 'image',
  properties: {
    id: str('An identifier for the image', {
      pattern: '^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){12}$',
    }),
    name: nullableStr('Descriptive name for the image', { maxLength: 255 }),
    status: str('Status of the image', { ...readOnly, enum: Object.values(IMAGE) }),
    visibility: str('Scope of image accessibility', { enum: VISIBILITIES }),
    protected: { type: 'boolean', description: 'If true, image will not be deletable.' },
    os_hidden: { type: 'boolean', description: 'If true, image will not appear in default image list response.' },
    checksum: nullableStr('md5 hash of image contents.', { ...readOnly, maxLength: 32 }),
    os_hash_algo: nullableStr('Algorithm to calculate the os_hash_value', { ...readOnly, maxLength: 64 }),
    os_hash_value: nullableStr('Hexdigest of the image contents using the algorithm specified by the os_hash_algo', {
      ...readOnly,
      maxLength: 128,
    }),
    owner: nullableStr('Owner of the image', { maxLength: 255 }),
    size: { type: ['null', 'integer'], description: 'Size of image file in bytes', ...readOnly },
    virtual_size: { type: ['null', 'integer'], description: 'Virtual size of image in bytes', ...readOnly },
    container_format: { type: ['null', 'string'], description: 'Format of the container', enum: [null, ...CONTAINER_FORMATS] },
    disk_format: { type: ['null', 'string'], description: 'Format of the disk', enum: [null, ...DISK_FORMATS] },
    created_at: str('Date and time of image registration', readOnly),
    updated_at: str('Date and time of the last image modification', readOnly),
    tags: { type: 'array', description: 'List of strings related to the image', items: { type: 'string', maxLength: 255 } },
    min_ram: { type: 'integer', description: 'Amount of ram (in MB) required to boot image.' },
    min_disk: { type: 'integer', description: 'Amount of disk space (in GB) required to boot image.' },
    self: str('An image self url', readOnly),
    file: str('An image file url', readOnly),
    schema: str('An image schema url', readOnly),
    __os_type: str('IMS: the operating system family (Linux, Windows)'),
    __os_version: str('IMS: the operating system and its version'),
    __platform: str('IMS: the operating system distribution'),
    __imagetype: str('IMS: gold (public), private or shared', readOnly),
    __data_origin: str('IMS: what the image was made from (instance,<id>, file,<bucket:key>)', readOnly),
    __isregistered: str('IMS: whether the image is registered', readOnly),
  },
  additionalProperties: { type: 'string' },
  links: [
    { rel: 'self', href: '{self}' },
    { rel: 'enclosure', href: '{file}' },
    { rel: 'describedby', href: '{schema}' },
  ],
};

const MEMBER_SCHEMA = {
  name: 'member',
  properties: {
    created_at: str('Date and time of image member creation'),
    image_id: str('An identifier for the image'),
    member_id: str('An identifier for the image member (tenantId)'),
    schema: { type: 'string', readOnly: true },
    status: str('The status of this image member', { enum: ['pending', 'accepted', 'rejected'] }),
    updated_at: str('Date and time of last modification of image member'),
  },
};

const collection = (name: string, item: object, key: string) => ({
  name,
  properties: {
    [key]: { type: 'array', items: item },
    schema: { type: 'string' },
    ...(key === 'images' ? { first: { type: 'string' }, next: { type: 'string' } } : {}),
  },
  links:
    key === 'images'
      ? [
          { rel: 'first', href: '{first}' },
          { rel: 'next', href: '{next}' },
          { rel: 'describedby', href: '{schema}' },
        ]
      : [],
});

/** The namespaces: what IMS's own properties and the compute service's image properties mean. */
const NAMESPACES = [
  {
    namespace: 'IMS::Image',
    display_name: 'Image Management Service',
    description: 'The IMS properties of an image: its operating system, its type and where it came from.',
    properties: {
      __os_type: { title: 'OS type', type: 'string', enum: ['Linux', 'Windows'] },
      __os_version: { title: 'OS version', type: 'string' },
      __platform: { title: 'Platform', type: 'string' },
    },
  },
  {
    namespace: 'OS::Compute::Hypervisor',
    display_name: 'Virtual environment',
    description: 'Which kind of host an image boots on: a virtual machine or a bare-metal server.',
    properties: { virtual_env_type: { title: 'Virtual environment', type: 'string', enum: ['FusionCompute', 'Ironic'] } },
  },
].map((n) => ({
  ...n,
  visibility: 'public',
  protected: true,
  owner: 'admin',
  resource_type_associations: [{ name: 'OS::Glance::Image', created_at: '2024-01-01T00:00:00Z' }],
  created_at: '2024-01-01T00:00:00Z',
  updated_at: '2024-01-01T00:00:00Z',
  self: `/v2/metadefs/namespaces/${n.namespace}`,
  schema: '/v2/schemas/metadefs/namespace',
}));

export const schemaRoutes = router();

schemaRoutes.get('/v2/schemas/image', authenticated(), (c) => c.json(IMAGE_SCHEMA));
schemaRoutes.get('/v2/schemas/images', authenticated(), (c) => c.json(collection('images', IMAGE_SCHEMA, 'images')));
schemaRoutes.get('/v2/schemas/member', authenticated(), (c) => c.json(MEMBER_SCHEMA));
schemaRoutes.get('/v2/schemas/members', authenticated(), (c) => c.json(collection('members', MEMBER_SCHEMA, 'members')));

schemaRoutes.get('/v2/metadefs/namespaces', authenticated(), (c) =>
  c.json({
    namespaces: NAMESPACES.map(({ properties: _, ...n }) => n),
    first: '/v2/metadefs/namespaces',
    schema: '/v2/schemas/metadefs/namespaces',
  }),
);
schemaRoutes.get('/v2/metadefs/namespaces/:namespace', authenticated(), (c) => {
  const n = NAMESPACES.find((x) => x.namespace === c.req.param('namespace'));
  if (!n) throw notFound(`Metadata definition namespace=${c.req.param('namespace')} was not found.`);
  return c.json(n);
});
