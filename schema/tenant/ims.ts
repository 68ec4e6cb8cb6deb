/** Private images in the project's TenantDO; their bytes are in R2, where OBS keeps bytes. */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { ImageStatus, Visibility } from '../../core/ims/states.ts';

/** What an image was made from (IMS's `__data_origin`). */
export interface ImageOrigin {
  kind: 'file' | 'instance' | 'volume' | 'obs';
  ref?: string;
}

/** A private image (Glance v2): its fields, its free-form properties, and where its bytes are. */
export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    status: text('status').$type<ImageStatus>().notNull(),
    visibility: text('visibility').$type<Visibility>().notNull(),
    protected: integer('protected', { mode: 'boolean' }).notNull().default(false),
    osHidden: integer('os_hidden', { mode: 'boolean' }).notNull().default(false),
    diskFormat: text('disk_format'),
    containerFormat: text('container_format'),
    minDisk: integer('min_disk').notNull().default(0),
    minRam: integer('min_ram').notNull().default(0),
    size: integer('size'),
    virtualSize: integer('virtual_size'),
    checksum: text('checksum'),
    hashAlgo: text('hash_algo'),
    hashValue: text('hash_value'),
    properties: text('properties', { mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    /** The R2 key of its bytes, once uploaded. */
    blobKey: text('blob_key'),
    origin: text('origin', { mode: 'json' }).$type<ImageOrigin | null>(),
    userId: text('user_id').notNull(),
    fault: text('fault'),
    activeAt: text('active_at'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [index('images_status').on(t.status)],
);

export type Image = typeof images.$inferSelect;
