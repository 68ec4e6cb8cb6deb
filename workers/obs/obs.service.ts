/**
 * OBS: the S3-compatible object store, on its own host (`oss.{region}.{domain}`, locally its own port), and its
 * usage API on the main origin at `/obs`.
 */
import { defineService } from '../service.ts';
import { obsActions } from './obs.policy.ts';

export const obsService = defineService({
  name: 'obs',
  title: 'Object Storage Service',
  catalog: [],
  policy: { obs: obsActions },
  serviceHost: false,
});
