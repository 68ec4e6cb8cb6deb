/** Nova `/os-keypairs`: import an OpenSSH public key, or have one generated (its private key shown once). */
import { z } from 'zod';
import { publicKeyBlob } from '../../durable/compute/keypairs.ts';
import { act } from '../auth/middleware.ts';
import { router } from '../lib/app.ts';
import { b64url, fromB64 } from '../lib/crypto.ts';
import { ApiError, notFound } from '../lib/errors.ts';
import { projectScope, tenant, unwrap } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { keypairView } from './views.ts';

const createBody = z
  .object({
    keypair: z
      .object({ name: z.string().min(1).max(255), public_key: z.string().optional(), type: z.enum(['ssh', 'x509']).optional() })
      .strict(),
  })
  .strict();

/** MD5 of the key blob as colon-separated hex, Nova's fingerprint. */
async function fingerprint(blobBase64: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('MD5', fromB64(blobBase64)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(':');
}

function sshString(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, 4);
  return out;
}

function mpint(bytes: Uint8Array): Uint8Array {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const trimmed = bytes.slice(i);
  return sshString(trimmed[0]! & 0x80 ? Uint8Array.of(0, ...trimmed) : trimmed);
}

/** A new RSA key pair: the OpenSSH public key line and the PKCS#8 PEM private key. */
async function generate(name: string): Promise<{ publicKey: string; privateKey: string }> {
  const pair = (await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  const parts = [sshString(new TextEncoder().encode('ssh-rsa')), mpint(fromB64(jwk.e!)), mpint(fromB64(jwk.n!))];
  const blob = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    blob.set(p, at);
    at += p.length;
  }
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer);
  const b64 = btoa(String.fromCharCode(...pkcs8));
  const pem = `-----BEGIN PRIVATE KEY-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  const blob64 = b64url(blob).replaceAll('-', '+').replaceAll('_', '/');
  return {
    publicKey: `ssh-rsa ${blob64}${'='.repeat((4 - (blob64.length % 4)) % 4)} Generated-by-Flexible-Engine ${name}`,
    privateKey: pem,
  };
}

export const keypairRoutes = router();

keypairRoutes.get('/os-keypairs', act('ecs:keypairs:list'), async (c) => {
  const { keypairs } = await tenant(c).list(['keypairs']);
  return c.json({ keypairs: keypairs.map((k) => ({ keypair: keypairView(k) })) });
});

keypairRoutes.post('/os-keypairs', act('ecs:keypairs:create'), async (c) => {
  const { keypair: k } = await jsonBody(c, createBody);
  projectScope(c);
  let publicKey = k.public_key;
  let privateKey: string | undefined;
  if (!publicKey) ({ publicKey, privateKey } = await generate(k.name));
  let blob: string;
  try {
    blob = publicKeyBlob(publicKey);
  } catch (err) {
    throw new ApiError(400, (err as Error).message);
  }
  const row = unwrap(
    await tenant(c).createKeypair({
      name: k.name,
      userId: c.var.principal.userId,
      publicKey,
      fingerprint: await fingerprint(blob),
      type: k.type,
    }),
  );
  return c.json({ keypair: keypairView(row, { user_id: row.userId, ...(privateKey ? { private_key: privateKey } : {}) }) });
});

keypairRoutes.get('/os-keypairs/:name', act('ecs:keypairs:get'), async (c) => {
  const { keypairs } = await tenant(c).list(['keypairs']);
  const k = keypairs.find((x) => x.name === c.req.param('name'));
  if (!k) throw notFound(`Keypair ${c.req.param('name')} not found for user ${c.var.principal.userId}`);
  return c.json({
    keypair: keypairView(k, {
      user_id: k.userId,
      created_at: k.createdAt.replace('Z', '').slice(0, 26),
      deleted: false,
      deleted_at: null,
      updated_at: null,
      id: 0,
    }),
  });
});

keypairRoutes.delete('/os-keypairs/:name', act('ecs:keypairs:delete'), async (c) => {
  unwrap(await tenant(c).deleteKeypair(c.req.param('name')));
  return c.body(null, 202);
});
