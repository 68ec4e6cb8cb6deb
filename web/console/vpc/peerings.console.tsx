/** The peering pages of the VPC section (`/console/vpc/peerings`), over the VPC use cases. */

import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { answerPeering, createPeering, deletePeering, listPeerings } from '../../../workers/vpc/usecases/peerings.ts';
import { listVpcs } from '../../../workers/vpc/usecases/vpcs.ts';
import { button, consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { descriptionField, placed } from './forms.ts';
import { PeeringsPage } from './peerings.page.tsx';

const peeringForm = z.object({
  name: f.text('a name for the peering').pipe(z.string().max(64, 'A peering name has at most 64 characters.')),
  request_vpc_id: f.text('the local VPC'),
  accept_vpc_id: f.text('the peer VPC ID'),
  accept_project_id: f.optional(),
  description: descriptionField(),
});

/** Where the words of a peering refusal point: at the local VPC when they name it, else at the peer. */
const PEERING_WORDS = [
  ['request_vpc_id', /has no CIDR/],
  ['accept_vpc_id', /overlap|itself|already exists|VPC|Router/i],
] as const;

async function peeringsPage(c: AppContext, failures: { create?: Failure; refusal?: Failure } = {}) {
  const caller = callerOf(c);
  const [peerings, vpcs] = await Promise.all([listPeerings(caller), listVpcs(caller)]);
  const create = failures.create && placed(failures.create, PEERING_WORDS);
  return c.html(
    <PeeringsPage c={c} projectId={caller.projectId} peerings={peerings} vpcs={vpcs} failure={create} refusal={failures.refusal} />,
  );
}

export const peeringRoutes = consoleRouter();

peeringRoutes.get('/', act('vpc:peerings:list'), (c) => peeringsPage(c));
peeringRoutes.post(
  '/',
  act('vpc:peerings:create'),
  form(
    peeringForm,
    async (c, input) => {
      const p = await createPeering(callerOf(c), {
        name: input.name,
        description: input.description,
        requestVpcId: input.request_vpc_id,
        acceptVpcId: input.accept_vpc_id,
        acceptProjectId: input.accept_project_id,
      });
      return done(
        c,
        '/console/vpc/peerings',
        p.status === 'ACTIVE' ? `Peering ${p.name} is active.` : `Peering ${p.name} waits for the peer to accept.`,
      );
    },
    (c, failure) => peeringsPage(c, { create: failure }),
  ),
);

for (const [verb, accept] of [
  ['accept', true],
  ['reject', false],
] as const)
  peeringRoutes.post(
    `/:id/${verb}`,
    act('vpc:peerings:update'),
    button(
      async (c) => {
        const p = await answerPeering(callerOf(c), c.req.param('id') ?? '', accept);
        return ['/console/vpc/peerings', `Peering ${p.name} is ${accept ? 'accepted' : 'rejected'}.`];
      },
      (c, failure) => peeringsPage(c, { refusal: failure }),
    ),
  );

peeringRoutes.post(
  '/:id/delete',
  act('vpc:peerings:delete'),
  button(
    async (c) => {
      await deletePeering(callerOf(c), c.req.param('id') ?? '');
      return ['/console/vpc/peerings', 'The peering is deleted.'];
    },
    (c, failure) => peeringsPage(c, { refusal: failure }),
  ),
);
