/** Every resource type's plugin, by type; core/rts/types.ts holds their schemas, and the two lists are the same. */
import { COMPUTE_PLUGINS } from './compute.ts';
import { HEAT_PLUGINS } from './heat.ts';
import { NETWORK_PLUGINS } from './network.ts';
import type { Plugin } from './plugin.ts';
import { STORAGE_PLUGINS } from './storage.ts';

export const PLUGINS: Readonly<Record<string, Plugin>> = { ...NETWORK_PLUGINS, ...COMPUTE_PLUGINS, ...STORAGE_PLUGINS, ...HEAT_PLUGINS };
