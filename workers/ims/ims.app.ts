/**
 * IMS under `/ims`: Glance v2 (images, their data, members, schemas) over the catalogue's public images and the
 * projects' private ones, and the native cloudimages API. The SDK finds the version through the unversioned
 * discovery document at `/ims`. Errors answer in Glance's shapes (errors.ts).
 */
import { publicRoute } from '../auth/middleware.ts';
import { family, router } from '../lib/app.ts';
import { ApiError } from '../lib/errors.ts';
import { cloudimageRoutes } from './cloudimages.api.ts';
import { renderImsError } from './errors.ts';
import { imageDataRoutes } from './image-data.api.ts';
import { imageRoutes } from './images.api.ts';
import { memberRoutes } from './members.api.ts';
import { schemaRoutes } from './schemas.api.ts';

export const imsApp = router();
imsApp.use(family('nova'));
imsApp.onError(renderImsError);

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

for (const routes of [imageRoutes, imageDataRoutes, memberRoutes, schemaRoutes, cloudimageRoutes]) imsApp.route('/', routes);

// What no route takes answers in the IMS shapes too (the Worker's own 404 is Keystone's).
imsApp.all('*', publicRoute('no such IMS resource: a 404 in Glance or native words'), () => {
  throw new ApiError(404, 'The resource could not be found.');
});
