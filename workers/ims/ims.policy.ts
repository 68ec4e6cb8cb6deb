/**
 * The policy actions of IMS (Glance v2 and the native cloudimages API): each with what it allows, its scope and
 * the operations (method, path) it covers. Routes name them in `act()`; the route-table test checks the
 * operations against the routes.
 */
import { defineActions } from '../auth/actions.ts';

const IMAGE = '/ims/v2/images/{image_id}';

export const imsActions = defineActions('ims', {
  'images:list': {
    description: 'List images',
    scope: 'project',
    operations: ['GET /ims/v2/images', 'GET /console/ims', 'GET /console/ims/images', 'GET /console/ims/images/rows'],
  },
  'images:get': { description: 'Show images', scope: 'project', operations: [`GET ${IMAGE}`] },
  'images:create': { description: 'Create images', scope: 'project', operations: ['POST /ims/v2/images'] },
  'images:update': {
    description: "Change an image's attributes and properties (JSON-patch)",
    scope: 'project',
    operations: [`PATCH ${IMAGE}`],
  },
  'images:delete': {
    description: 'Delete images',
    scope: 'project',
    operations: [`DELETE ${IMAGE}`, 'POST /console/ims/images/{image_id}/delete'],
  },
  'data:upload': { description: "Upload an image's data", scope: 'project', operations: [`PUT ${IMAGE}/file`] },
  'data:get': { description: "Download an image's data", scope: 'project', operations: [`GET ${IMAGE}/file`] },
  'images:deactivate': { description: 'Deactivate images', scope: 'project', operations: [`POST ${IMAGE}/actions/deactivate`] },
  'images:reactivate': { description: 'Reactivate images', scope: 'project', operations: [`POST ${IMAGE}/actions/reactivate`] },
  'images:tag': {
    description: "Add and remove an image's tags",
    scope: 'project',
    operations: [`PUT ${IMAGE}/tags/{tag}`, `DELETE ${IMAGE}/tags/{tag}`],
  },
  'members:list': { description: "List an image's members", scope: 'project', operations: [`GET ${IMAGE}/members`] },
  'members:get': { description: 'Show an image member', scope: 'project', operations: [`GET ${IMAGE}/members/{member_id}`] },
  'members:create': { description: 'Share an image with a project', scope: 'project', operations: [`POST ${IMAGE}/members`] },
  'members:update': {
    description: 'Accept or reject an image shared with the project',
    scope: 'project',
    operations: [`PUT ${IMAGE}/members/{member_id}`],
  },
  'members:delete': {
    description: 'Stop sharing an image with a project',
    scope: 'project',
    operations: [`DELETE ${IMAGE}/members/{member_id}`],
  },
  'cloudimages:list': { description: 'List images (native)', scope: 'project', operations: ['GET /ims/v2/cloudimages'] },
  'cloudimages:create': {
    description: 'Make a private image from a server or an OBS object (native, a job)',
    scope: 'project',
    operations: ['POST /ims/v2/cloudimages/action', 'POST /console/ims/images'],
  },
  'cloudimages:update': {
    description: "Change an image's attributes (native JSON-patch)",
    scope: 'project',
    operations: ['PATCH /ims/v2/cloudimages/{image_id}'],
  },
  'cloudimages:export': {
    description: 'Export an image to an OBS object (native, a job)',
    scope: 'project',
    operations: ['POST /ims/v1/cloudimages/{image_id}/file'],
  },
  'jobs:get': { description: 'Show an IMS job', scope: 'project', operations: ['GET /ims/v1/{project_id}/jobs/{job_id}'] },
});
