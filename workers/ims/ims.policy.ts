/**
 * The policy actions of IMS (Glance v2): each with what it allows, its scope and the operations (method,
 * path) it covers. Routes name them in `act()`; the route-table test checks the operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

export const imsActions = defineActions('ims', {
  'images:list': {
    description: 'List images',
    scope: 'project',
    operations: ['GET /ims/v2/images'],
  },
  'images:get': {
    description: 'Show images',
    scope: 'project',
    operations: ['GET /ims/v2/images/{id}'],
  },
});
