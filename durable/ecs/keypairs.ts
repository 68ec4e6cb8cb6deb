/** Key pairs (imported or generated) and server groups of a project. */
import { eq } from 'drizzle-orm';
import { conflict, DomainError, inUse, invalid, notFound } from '../../core/result.ts';
import { keypairs, serverGroups, servers } from '../../schema/tenant.ts';
import type { Ctx } from '../vpc/context.ts';
import { requireComputeQuota } from './quotas.ts';

const KEY_TYPES = ['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'];

/** The base64 blob of an OpenSSH public key line, after checking its form. */
export function publicKeyBlob(publicKey: string): string {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob || !KEY_TYPES.includes(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) {
    throw invalid('Keypair data is invalid: public key must be an OpenSSH key line (ssh-rsa, ssh-ed25519 or ecdsa).', 'InvalidKeypair');
  }
  try {
    const decoded = atob(blob);
    const len = (decoded.charCodeAt(0) << 24) | (decoded.charCodeAt(1) << 16) | (decoded.charCodeAt(2) << 8) | decoded.charCodeAt(3);
    if (decoded.slice(4, 4 + len) !== type) throw new Error('type mismatch');
  } catch {
    throw invalid('Keypair data is invalid: the key does not decode to its declared type.', 'InvalidKeypair');
  }
  return blob;
}

/** Records a key pair (its fingerprint computed by the caller, who has the digests). */
export function createKeypair(ctx: Ctx, input: { name: string; userId: string; publicKey: string; fingerprint: string; type?: string }) {
  if (!/^[A-Za-z0-9 _.@-]{1,255}$/.test(input.name)) throw invalid('Keypair name contains unsafe characters.', 'InvalidKeypair');
  requireComputeQuota(ctx, { key_pairs: 1 });
  if (ctx.db.select().from(keypairs).where(eq(keypairs.name, input.name)).get())
    throw conflict('KeyPairExists', `Key pair '${input.name}' already exists.`);
  const row = {
    name: input.name,
    userId: input.userId,
    publicKey: input.publicKey.trim(),
    fingerprint: input.fingerprint,
    type: input.type ?? 'ssh',
    createdAt: ctx.now,
  };
  ctx.db.insert(keypairs).values(row).run();
  return row;
}

/** A key pair by name, or 404. */
export function keypair(ctx: Ctx, name: string) {
  const row = ctx.db.select().from(keypairs).where(eq(keypairs.name, name)).get();
  if (!row) throw new DomainError(404, 'KeypairNotFound', `Keypair ${name} not found.`);
  return row;
}

/** Deletes a key pair (servers keep the name they were built with, as in Nova). */
export function deleteKeypair(ctx: Ctx, name: string): void {
  keypair(ctx, name);
  ctx.db.delete(keypairs).where(eq(keypairs.name, name)).run();
}

export type GroupPolicy = 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';

/** Creates a server group. */
export function createServerGroup(ctx: Ctx, input: { id: string; name: string; policy: GroupPolicy; userId: string }) {
  requireComputeQuota(ctx, { server_groups: 1 });
  const row = { ...input, createdAt: ctx.now };
  ctx.db.insert(serverGroups).values(row).run();
  return row;
}

/** A server group by id, or 404. */
export function serverGroup(ctx: Ctx, id: string) {
  const row = ctx.db.select().from(serverGroups).where(eq(serverGroups.id, id)).get();
  if (!row) throw notFound('ServerGroup', id);
  return row;
}

/** Deletes a server group that no server is in. */
export function deleteServerGroup(ctx: Ctx, id: string): void {
  serverGroup(ctx, id);
  if (ctx.db.select({ id: servers.id }).from(servers).where(eq(servers.serverGroupId, id)).get())
    throw inUse('ServerGroup', `Server group ${id} still has members.`);
  ctx.db.delete(serverGroups).where(eq(serverGroups.id, id)).run();
}
