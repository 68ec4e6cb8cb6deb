/** The regional catalogue (flavors, public images) read from the directory, cached per isolate for a minute. */
import { asc } from 'drizzle-orm';
import type { Env } from '../../core/env.ts';
import { flavors, publicImages } from '../../schema/global.ts';
import { directory } from './client.ts';

export type FlavorRow = typeof flavors.$inferSelect;
export type ImageRow = typeof publicImages.$inferSelect;

const CACHE_MS = 60_000;
let cache: { at: number; flavors: FlavorRow[]; images: ImageRow[] } | undefined;

async function load(env: Env) {
  if (!cache || Date.now() - cache.at > CACHE_MS) {
    const db = await directory(env);
    const [f, i] = await Promise.all([
      db.select().from(flavors).orderBy(asc(flavors.vcpus), asc(flavors.ramMb), asc(flavors.name)),
      db.select().from(publicImages).orderBy(asc(publicImages.name)),
    ]);
    cache = { at: Date.now(), flavors: f, images: i };
  }
  return cache;
}

/** The flavors, smallest first. */
export async function catalogueFlavors(env: Env): Promise<FlavorRow[]> {
  return (await load(env)).flavors;
}

/** The public images, by name. */
export async function catalogueImages(env: Env): Promise<ImageRow[]> {
  return (await load(env)).images;
}
