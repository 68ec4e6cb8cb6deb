import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { createLibsqlHandler } from './local/libsql-server.ts';
import { newPlatformSecrets } from './local/secrets.ts';

// One in-memory directory for the whole run, served Node-side through the LIBSQL service binding, exactly as
// `npm start` serves its file-backed one. Tests create their own accounts, so they do not collide.
const libsql = createLibsqlHandler({ path: ':memory:' });
const secrets = newPlatformSecrets();

/** Whether an unhandled error is Vitest closing its RPC channel at a test file's end (see onUnhandledError). */
function isHarnessTeardown(error: { name?: string; message?: string }): boolean {
  return error.name === 'EnvironmentTeardownError' && (error.message ?? '').includes('Closing rpc while');
}

export default defineConfig({
  test: {
    // Request logs of passing tests are noise; a failing test keeps its output.
    silent: 'passed-only',
    // The Workers pool reaches every Durable Object through Vite's module runner, an RPC to Node. When a test file
    // ends, Vitest rejects the calls still pending with EnvironmentTeardownError, so an alarm that a host or a bucket
    // set earlier and that fires at that instant fails inside the harness, not in our code (there is no module runner
    // in production). Only that error is dropped: every other unhandled error still fails the run.
    onUnhandledError: (error) => !isHarnessTeardown(error),
    projects: [
      { test: { name: 'node', include: ['test/node/**/*.test.ts'], environment: 'node' } },
      {
        plugins: [
          cloudflareTest({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                ...secrets,
                BOOTSTRAP_TOKEN: 'test-bootstrap-token',
                TOKEN_TTL_SECONDS: '3600',
                HOST_HEARTBEAT_MS: '500',
                HOST_MISSED_HEARTBEATS: '2',
                // An unsettled scaling group gets a round every 200 ms, so that a test sees it move.
                AS_TICK_MS: '200',
                // Replaced bytes are freed at the next sweep; abandoned uploads after a minute.
                OBS_GARBAGE_GRACE_MS: '0',
                OBS_PENDING_TTL_MS: '60000',
                // A lifecycle "day" lasts a second, so expiration rules can be seen working.
                OBS_LIFECYCLE_DAY_MS: '1000',
                // An SMN endpoint that does not answer in 300 ms has timed out.
                SMN_TIMEOUT_MS: '300',
                // Stacks check the resources still on their way five times a second.
                RTS_TICK_MS: '200',
                // The seed's price list is in effect from 2025 on, so that past months can be rated.
                SEED_PRICES_FROM: '2025-01-01T00:00:00.000Z',
              },
              serviceBindings: { LIBSQL: (request: Request) => libsql.handle(request) },
            },
          }),
        ],
        // Every service's folder under test/ runs in workerd, so a new service's tests need no line here. The test
        // files share one module graph (isolate: false): each makes its own accounts, and loading the Worker once
        // instead of once per file halves the run (import time 71 s to 6 s on 2 cores, 53 files).
        test: {
          name: 'workers',
          include: ['test/**/*.test.ts'],
          exclude: ['test/node/**', 'test/e2e/**'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          isolate: false,
        },
      },
    ],
  },
});
