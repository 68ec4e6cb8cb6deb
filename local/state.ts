/**
 * The local cloud's own state folder (`./.data`, or FE_DATA_DIR): platform secrets and bootstrap passwords,
 * generated once and kept, so that a restart keeps every account, token key and credential.
 */

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { newPlatformSecrets, newSmnSigningKey, type PlatformSecrets } from './secrets.ts';

export interface LocalState {
  secrets: PlatformSecrets;
  passwords: { admin: string; demo: string };
  /** AK/SK pairs by cloud name, saved when the bootstrap created them (the secret is shown only then). */
  credentials: Record<string, { access: string; secret: string }>;
}

/** The state folder, created when missing. */
export function dataDir(): string {
  const dir = resolve(process.env.FE_DATA_DIR || '.data');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const stateFile = (dir: string) => join(dir, 'local-state.json');

/** A readable random password: 20 characters with upper, lower, digits and a symbol. */
function newPassword(): string {
  return `Fe-${randomBytes(12).toString('base64url')}1a`;
}

/** Loads the state, generating what is missing; explicit passwords from the environment win. */
export function loadState(dir: string): LocalState {
  const file = stateFile(dir);
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<LocalState>) : {};
  const state: LocalState = {
    // A state saved before SMN existed gets SMN's key added; the rest is kept.
    secrets: saved.secrets
      ? { ...saved.secrets, SMN_SIGNING_KEY: saved.secrets.SMN_SIGNING_KEY || newSmnSigningKey() }
      : newPlatformSecrets(),
    passwords: {
      admin: process.env.FE_ADMIN_PASSWORD || saved.passwords?.admin || newPassword(),
      demo: process.env.FE_DEMO_PASSWORD || saved.passwords?.demo || newPassword(),
    },
    credentials: saved.credentials ?? {},
  };
  saveState(dir, state);
  return state;
}

/** Writes the state, readable by its owner only. */
export function saveState(dir: string, state: LocalState): void {
  writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}
