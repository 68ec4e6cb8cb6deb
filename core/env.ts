/**
 * Bindings of the control-plane Worker. `Cloudflare.Env` is generated from wrangler.toml by `npm run types`
 * (worker-configuration.d.ts; `npm run typecheck` fails when it is stale); what wrangler cannot see, the secrets
 * and the local-only bindings, is added here.
 */
export interface Env extends Cloudflare.Env {
  /** JSON array of private JWKs (ES256, each with a `kid`), newest first: the first signs, all verify. */
  TOKEN_SIGNING_KEYS: string;
  /** Base64 AES-256-GCM key sealing AK/SK secrets at rest. */
  PLATFORM_KEY: string;
  /** A private RSA JWK (with a `kid`) that signs SMN's messages; its public half is served at `signing_cert_url`. */
  SMN_SIGNING_KEY: string;
  /** The global directory's token (none locally). */
  LIBSQL_AUTH_TOKEN?: string;
  /** Bearer token of the one-time bootstrap route (local start, deployment). */
  BOOTSTRAP_TOKEN?: string;
  /** Local only: the Node-side libSQL endpoint, reached without a port. */
  LIBSQL?: Fetcher;
}
