/** IMS: Glance v2 over the catalogue's public images. */
import { defineService } from '../service.ts';
import { imsActions } from './ims.policy.ts';

export const imsService = defineService({
  name: 'ims',
  title: 'Image Management Service',
  catalog: [{ type: 'image', name: 'glance', path: '/ims' }],
  policy: { ims: imsActions },
  serviceHost: true,
});
