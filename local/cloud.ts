/**
 * The whole cloud on one machine: the Worker in workerd (miniflare) with its Durable Objects persisted under the
 * state folder, and the global directory served Node-side over an embedded libSQL file through a service binding.
 */
import { join } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';
import { bundleWorker } from './bundle.ts';
import { createLibsqlHandler } from './libsql-server.ts';
import type { PlatformSecrets } from './secrets.ts';

export interface LocalCloud {
  url: string;
  /** The OBS (S3) endpoint: its own port, so that path-style clients can put the bucket first in the path. */
  obsUrl: string;
  miniflare: Miniflare;
  stop(): Promise<void>;
}

/** Starts the cloud on host:port with state under dataDir. */
export async function startCloud(options: {
  dataDir: string;
  port: number;
  /** The OBS endpoint's port (0 picks a free one). */
  obsPort: number;
  host?: string;
  secrets: PlatformSecrets;
  vars?: Record<string, string>;
}): Promise<LocalCloud> {
  const libsql = createLibsqlHandler({ path: join(options.dataDir, 'directory.db') });
  const scriptPath = await bundleWorker();
  const { workerOptions } = unstable_getMiniflareWorkerOptions('wrangler.toml');
  // The bundle is one ES module, so wrangler's module rules (for unbundled sources) do not apply.
  const {
    modulesRules: _rules,
    bindings,
    ...fromWrangler
  } = workerOptions as Record<string, unknown> & { bindings?: Record<string, string> };
  // miniflare 5 takes a new options shape; wrangler still describes the Worker in the v4 one.
  const v4 = {
    ...fromWrangler,
    name: 'flexible-engine',
    modules: true,
    scriptPath,
    bindings: { ...bindings, ...options.secrets, ...options.vars },
    serviceBindings: { LIBSQL: (request: Request) => libsql.handle(request) },
    // Durable Objects, R2 and the queues on disk in the state folder, so that a restart keeps them.
    resourcePersistencePath: join(options.dataDir, 'workers'),
    host: options.host ?? '127.0.0.1',
    port: options.port,
    unsafeDirectSockets: [{ host: options.host ?? '127.0.0.1', port: options.obsPort, entrypoint: 'ObsEndpoint' }],
    ...(process.env.FE_INSPECTOR_PORT ? { inspectorPort: Number(process.env.FE_INSPECTOR_PORT) } : {}),
  };
  const miniflare = new Miniflare(convertV4MiniflareOptions(v4 as Parameters<typeof convertV4MiniflareOptions>[0]));
  const url = (await miniflare.ready).toString().replace(/\/$/, '');
  const obsUrl = (await miniflare.unsafeGetDirectURL('flexible-engine', 'ObsEndpoint')).toString().replace(/\/$/, '');
  return {
    url,
    obsUrl,
    miniflare,
    async stop() {
      await miniflare.dispose();
      libsql.close();
    },
  };
}
