/**
 * The global directory: accounts and identity, and the regional catalogue.
 * Served by libSQL (Turso or sqld in production, the local endpoint in development).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const createdAt = () => text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

/** An account (Keystone domain). The operator's account is flagged `is_operator`. */
export const domains = sqliteTable('domains', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  isOperator: integer('is_operator', { mode: 'boolean' }).notNull().default(false),
  createdAt: createdAt(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id')
      .notNull()
      .references(() => domains.id),
    name: text('name').notNull(),
    email: text('email'),
    description: text('description').notNull().default(''),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    defaultProjectId: text('default_project_id'),
    /** PBKDF2 hash in the form `pbkdf2-sha256$iterations$salt$hash` (base64url). */
    passwordHash: text('password_hash'),
    passwordChangedAt: text('password_changed_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_domain_name').on(t.domainId, t.name)],
);

export const groups = sqliteTable(
  'groups',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id')
      .notNull()
      .references(() => domains.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('groups_domain_name').on(t.domainId, t.name)],
);

export const groupMembers = sqliteTable(
  'group_members',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.userId] }), index('group_members_user').on(t.userId)],
);

/** A project; in Flexible Engine each account has one per region, named after the region. */
export const projects = sqliteTable(
  'projects',
  {
    id: text('id').primaryKey(),
    domainId: text('domain_id')
      .notNull()
      .references(() => domains.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    regionId: text('region_id'),
    parentId: text('parent_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('projects_domain_name').on(t.domainId, t.name)],
);

/** A role. System roles carry their policy document in code; custom roles (an account's own) carry one here. */
export const roles = sqliteTable(
  'roles',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** The owning domain of a custom role; '' for global (system) roles, so that names stay unique. */
    domainId: text('domain_id').notNull().default(''),
    description: text('description').notNull().default(''),
    /**
     * JSON policy document `{Version, Statement[]}`: a custom role is Flexible Engine's custom policy, attached to
     * groups (or users) by assigning it on a domain or project. Null for system roles, whose documents are in code.
     */
    policy: text('policy'),
    /** Flexible Engine custom policy scope: `AX` (account-level services) or `XA` (project-level services). */
    policyType: text('policy_type', { enum: ['AX', 'XA'] }),
    updatedAt: text('updated_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('roles_domain_name').on(t.domainId, t.name)],
);

/** A role granted to a user or a group, on a project or a domain. */
export const roleAssignments = sqliteTable(
  'role_assignments',
  {
    roleId: text('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
    actorType: text('actor_type', { enum: ['user', 'group'] }).notNull(),
    actorId: text('actor_id').notNull(),
    targetType: text('target_type', { enum: ['project', 'domain'] }).notNull(),
    targetId: text('target_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.actorType, t.actorId, t.targetType, t.targetId] }),
    index('role_assignments_actor').on(t.actorType, t.actorId),
    index('role_assignments_target').on(t.targetType, t.targetId),
  ],
);

/** An AK/SK pair; the secret is sealed with the platform key (AES-GCM), never returned after creation. */
export const credentials = sqliteTable(
  'credentials',
  {
    access: text('access').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['active', 'inactive'] })
      .notNull()
      .default('active'),
    secretSealed: text('secret_sealed').notNull(),
    /** The project a Keystone EC2 credential (OS-EC2) was made for; null for a key made through IAM's AK/SK API. */
    projectId: text('project_id'),
    lastUseTime: text('last_use_time'),
    createdAt: createdAt(),
  },
  (t) => [index('credentials_user').on(t.userId)],
);

export const regions = sqliteTable('regions', {
  id: text('id').primaryKey(),
  description: text('description').notNull().default(''),
  parentRegionId: text('parent_region_id'),
});

export const zones = sqliteTable('zones', {
  id: text('id').primaryKey(),
  regionId: text('region_id')
    .notNull()
    .references(() => regions.id),
  state: text('state', { enum: ['available', 'unavailable'] })
    .notNull()
    .default('available'),
});

export const flavors = sqliteTable('flavors', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  vcpus: integer('vcpus').notNull(),
  ramMb: integer('ram_mb').notNull(),
  diskGb: integer('disk_gb').notNull().default(0),
  family: text('family').notNull(),
  /** general, compute, memory, baremetal, ... */
  category: text('category').notNull(),
  isPublic: integer('is_public', { mode: 'boolean' }).notNull().default(true),
  /** Extra specs as JSON, served by `os-extra_specs`. */
  extraSpecs: text('extra_specs').notNull().default('{}'),
});

export const publicImages = sqliteTable('public_images', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  osType: text('os_type').notNull(),
  osVersion: text('os_version').notNull(),
  platform: text('platform').notNull(),
  minDiskGb: integer('min_disk_gb').notNull(),
  minRamMb: integer('min_ram_mb').notNull().default(0),
  sizeBytes: integer('size_bytes').notNull(),
  diskFormat: text('disk_format').notNull().default('qcow2'),
  /** `ecs`, `bms` (Ironic) */
  virtualEnvType: text('virtual_env_type').notNull().default('FusionCompute'),
  createdAt: text('created_at').notNull(),
});

/** One price line: a product's unit price in a region for a billing mode. */
export const prices = sqliteTable(
  'prices',
  {
    id: text('id').primaryKey(),
    service: text('service').notNull(),
    product: text('product').notNull(),
    regionId: text('region_id').notNull(),
    /** on_demand (per unit of usage), reserved_1y/2y/3y (monthly), one_time */
    billingMode: text('billing_mode').notNull(),
    unit: text('unit').notNull(),
    /** The line's first price, kept for older readers: its revisions (price_revisions) are what prices usage. */
    priceEur: real('price_eur').notNull(),
    description: text('description').notNull().default(''),
    /**
     * When the line took effect (ISO 8601): written when the line is published (the first start's bootstrap for the
     * seed's list). Clause 1.4 dates every revision of the Charges; versions of a line come with billing.
     */
    effectiveFrom: text('effective_from'),
  },
  (t) => [uniqueIndex('prices_line').on(t.service, t.product, t.regionId, t.billingMode)],
);

export type Domain = typeof domains.$inferSelect;
export type User = typeof users.$inferSelect;
export type Group = typeof groups.$inferSelect;
export type Project = typeof projects.$inferSelect;
export type Role = typeof roles.$inferSelect;
export type RoleAssignment = typeof roleAssignments.$inferSelect;
export type Credential = typeof credentials.$inferSelect;

/** OBS bucket names, unique across every account as S3 requires; each bucket's index lives in its BucketDO. */
export const obsBuckets = sqliteTable(
  'obs_buckets',
  {
    name: text('name').primaryKey(),
    domainId: text('domain_id')
      .notNull()
      .references(() => domains.id),
    region: text('region').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('obs_buckets_domain').on(t.domainId, t.name)],
);

/**
 * Who besides its owner sees a private image (IMS, Glance v2 members): a row per member project, `pending`
 * until that project accepts or rejects it; an image every project sees (`community`, or `public` set by an
 * operator) has one row for `*`. The image itself lives in its owner's TenantDO; this relation crosses projects,
 * so it lives here, like role assignments. Rows are keyed by their owner too: an image id is only unique within its
 * project (a client may choose it), so one project's rows are never another's.
 */
export const imageMembers = sqliteTable(
  'image_members',
  {
    imageId: text('image_id').notNull(),
    ownerProjectId: text('owner_project_id').notNull(),
    /** A project id, or `*` for every project. */
    memberProjectId: text('member_project_id').notNull(),
    status: text('status', { enum: ['pending', 'accepted', 'rejected'] }).notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ownerProjectId, t.imageId, t.memberProjectId] }),
    index('image_members_member').on(t.memberProjectId, t.status),
    index('image_members_image').on(t.imageId),
  ],
);

export type ImageMember = typeof imageMembers.$inferSelect;
export * from './global/billing.ts';
