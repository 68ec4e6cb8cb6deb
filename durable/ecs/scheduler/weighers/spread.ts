/** Weigher: spread (the default) prefers the host with the most free RAM after overcommit; pack, the least. */
import type { HostWeigher } from '../request.ts';

export const spread: HostWeigher = (h, { req }) => {
  const free = h.ramMb * h.ramRatio - h.used.ramMb;
  return req.weigher === 'pack' ? -free : free;
};
