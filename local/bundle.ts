/** Bundles the Worker with esbuild exactly as its wrangler.toml describes it (ES modules, .sql as text). */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

/** Builds workers/index.ts into `.wrangler/local/index.js`; returns the path. */
export async function bundleWorker(root = process.cwd()): Promise<string> {
  const outdir = resolve(root, '.wrangler/local');
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, 'index.js');
  await build({
    entryPoints: [resolve(root, 'workers/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2023',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    external: ['cloudflare:*', 'node:*'],
    loader: { '.sql': 'text' },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
