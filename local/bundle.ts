/** Bundles the Worker with esbuild exactly as its wrangler.toml describes it (ES modules, .sql and .client.js as text). */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** The web's client scripts are served to browsers, not run by the Worker: bundled as their text. */
export const clientScriptsAsText: Plugin = {
  name: 'client-scripts-as-text',
  setup(b) {
    b.onLoad({ filter: /\.client\.js$/ }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};

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
    plugins: [clientScriptsAsText],
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return outfile;
}
