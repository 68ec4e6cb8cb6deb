/**
 * The control-plane Worker: composes the services on one origin and exports the Durable Objects.
 * No business logic here.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { ComputeMessage, RecoveryMessage } from '../core/ecs/messages.ts';
import type { Env } from '../core/env.ts';
import { BucketDO } from '../durable/bucket.ts';
import { EipPoolDO } from '../durable/eip-pool.ts';
import { HostDO } from '../durable/host.ts';
import { TenantDO } from '../durable/tenant.ts';
import { UserGuardDO } from '../durable/user-guard.ts';
import { ZoneDO } from '../durable/zone.ts';
import { bootstrapRoutes } from './bootstrap/bootstrap.api.ts';
import { ecsApp } from './ecs/ecs.app.ts';
import { consume } from './ecs/manager.ts';
import { iamApp } from './iam/iam.app.ts';
import { imsApp } from './ims/ims.app.ts';
import { renderError, requestContext, router } from './lib/app.ts';
import { ApiError } from './lib/errors.ts';
import { handleObs } from './obs/obs.app.ts';
import { obsHost } from './obs/target.ts';
import { obsAdminApp } from './obs/usage.ts';
import { routeServiceHost } from './service-hosts.ts';
import { vpcApp } from './vpc/vpc.app.ts';

export const app = router();
app.use(requestContext());
app.onError(renderError);
app.notFound((c) => renderError(new ApiError(404, 'The resource could not be found.'), c));

app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.route('/iam', iamApp);
app.route('/vpc', vpcApp);
app.route('/ecs', ecsApp);
app.route('/ims', imsApp);
app.route('/obs', obsAdminApp);
app.route('/internal', bootstrapRoutes);

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (obsHost(request.headers.get('host') ?? new URL(request.url).host)) return handleObs(request, env, ctx);
    return app.fetch(routeServiceHost(request), env, ctx);
  },
  queue(batch: MessageBatch<ComputeMessage | RecoveryMessage>, env: Env) {
    return consume(batch, env);
  },
} satisfies ExportedHandler<Env, ComputeMessage | RecoveryMessage>;

/**
 * The OBS endpoint as its own entry: locally `npm start` gives it a second port (path-style S3 clients put
 * the bucket first in the path, which would collide with the service prefixes of the main origin).
 */
export class ObsEndpoint extends WorkerEntrypoint<Env> {
  override fetch(request: Request) {
    return handleObs(request, this.env, this.ctx);
  }
}

export { BucketDO, EipPoolDO, HostDO, TenantDO, UserGuardDO, ZoneDO };
