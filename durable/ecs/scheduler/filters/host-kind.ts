/** Filter: a bare-metal flavor goes to a bare-metal host, any other flavor to a general one. */
import type { HostFilter } from '../request.ts';

export const hostKind: HostFilter = (h, { req }) => (req.baremetal ? h.kind === 'baremetal' : h.kind === 'general');
