/**
 * The control-plane Worker: composes the registered services (workers/services.ts) on one origin, dispatches
 * their queues, and exports the Durable Objects. No business logic here.
 */
import { WorkerEntrypoint } from 'cloudflare:workers';
import type { Hono } from 'hono';
import type { ComputeMessage, RecoveryMessage } from '../core/ecs/messages.ts';
import type { Env } from '../core/env.ts';
import type { StorageMessage } from '../core/evs/messages.ts';
import type { StepMessage } from '../core/rts/messages.ts';
import { AsDO, type ScalingMessage } from '../durable/as.ts';
import { BucketDO } from '../durable/bucket.ts';
import { CesDO } from '../durable/ces.ts';
import { EipPoolDO } from '../durable/eip-pool.ts';
import { HostDO } from '../durable/host.ts';
import { SmnDO } from '../durable/smn.ts';
import { StackDO } from '../durable/stack.ts';
import { StackIndexDO } from '../durable/stack-index.ts';
import { TenantDO } from '../durable/tenant.ts';
import { UserGuardDO } from '../durable/user-guard.ts';
import { ZoneDO } from '../durable/zone.ts';
import { consoleApp } from '../web/console/console.app.tsx';
import { sitemap, storeApp } from '../web/store/store.app.tsx';
import { asApp } from './as/as.app.ts';
import { consumeScaling } from './as/driver.ts';
import { publicRoute } from './auth/middleware.ts';
import { bootstrapRoutes } from './bootstrap/bootstrap.api.ts';
import { bssApp } from './bss/bss.app.ts';
import { billingHour } from './bss/schedule.ts';
import { cesApp } from './ces/ces.app.ts';
import { ecsApp } from './ecs/ecs.app.ts';
import { consume } from './ecs/manager.ts';
import { elbApp } from './elb/elb.app.ts';
import { evsApp } from './evs/evs.app.ts';
import { consumeStorage } from './evs/manager.ts';
import { iamApp } from './iam/iam.app.ts';
import { imsApp } from './ims/ims.app.ts';
import { type AppEnv, renderError, requestContext, router } from './lib/app.ts';
import { ApiError } from './lib/errors.ts';
import { handleObs } from './obs/obs.app.ts';
import { obsHost } from './obs/target.ts';
import { obsAdminApp } from './obs/usage.ts';
import { consumeSteps } from './rts/consumer.ts';
import { rtsApp } from './rts/rts.app.ts';
import { routeServiceHost } from './service-hosts.ts';
import { type QueueName, SERVICES, type ServiceName } from './services.ts';
import { smnApp } from './smn/smn.app.ts';
import { vbsApp } from './vbs/vbs.app.ts';
import { vpcApp } from './vpc/vpc.app.ts';

/** Each registered service's routes, mounted at `/<name>` (a registered service without its app is a type error). */
const APPS: Record<ServiceName, Hono<AppEnv>> = {
  iam: iamApp,
  vpc: vpcApp,
  ecs: ecsApp,
  evs: evsApp,
  vbs: vbsApp,
  ims: imsApp,
  obs: obsAdminApp,
  bss: bssApp,
  ces: cesApp,
  elb: elbApp,
  as: asApp,
  smn: smnApp,
  rts: rtsApp,
};

type Message = ComputeMessage | RecoveryMessage | StorageMessage | ScalingMessage | StepMessage;

/** The consumer of each queue a service declares. */
type Consumer = (batch: MessageBatch<Message>, env: Env) => Promise<void>;
const CONSUMERS: Record<QueueName, Consumer> = {
  'fe-compute': consume as Consumer,
  'fe-compute-dlq': consume as Consumer,
  'fe-recovery': consume as Consumer,
  'fe-recovery-dlq': consume as Consumer,
  'fe-storage': consumeStorage as Consumer,
  'fe-storage-dlq': consumeStorage as Consumer,
  'fe-scaling': consumeScaling as Consumer,
  'fe-orchestration': consumeSteps as Consumer,
  'fe-orchestration-dlq': consumeSteps as Consumer,
};

export const app = router();
app.use(requestContext());
app.onError(renderError);
app.notFound((c) => renderError(new ApiError(404, 'The resource could not be found.'), c));

app.get('/healthz', publicRoute('liveness'), (c) => c.json({ status: 'ok' }));
for (const service of SERVICES) app.route(`/${service.name}`, APPS[service.name]);
app.route('/internal', bootstrapRoutes);
app.route('/store', storeApp);
app.route('/console', consoleApp);
app.get('/', publicRoute('the Cloud Store home'), (c) => c.redirect('/store', 302));
app.get('/sitemap.xml', publicRoute('the sitemap for search engines'), (c) =>
  c.body(sitemap(new URL(c.req.url).origin), 200, { 'Content-Type': 'application/xml', 'Cache-Control': 'public, max-age=3600' }),
);
app.get('/robots.txt', publicRoute('the rules for search engines'), (c) =>
  c.text(`User-agent: *\nDisallow: /console\nSitemap: ${new URL(c.req.url).origin}/sitemap.xml\n`, 200, {
    'Cache-Control': 'public, max-age=3600',
  }),
);

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (obsHost(request.headers.get('host') ?? new URL(request.url).host)) return handleObs(request, env, ctx);
    return app.fetch(routeServiceHost(request), env, ctx);
  },
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(billingHour(env, new Date(controller.scheduledTime)));
  },
  queue(batch: MessageBatch<Message>, env: Env) {
    const consumer = CONSUMERS[batch.queue as QueueName];
    if (!consumer) throw new Error(`No service consumes the queue ${batch.queue}.`);
    return consumer(batch, env);
  },
} satisfies ExportedHandler<Env, Message>;

/**
 * The OBS endpoint as its own entry: locally `npm start` gives it a second port (path-style S3 clients put
 * the bucket first in the path, which would collide with the service prefixes of the main origin).
 */
export class ObsEndpoint extends WorkerEntrypoint<Env> {
  override fetch(request: Request) {
    return handleObs(request, this.env, this.ctx);
  }
}

export { AsDO, BucketDO, CesDO, EipPoolDO, HostDO, SmnDO, StackDO, StackIndexDO, TenantDO, UserGuardDO, ZoneDO };
