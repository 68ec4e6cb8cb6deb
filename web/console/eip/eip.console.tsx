/**
 * The Console's Elastic IP section at `/console/eip`: allocate with a dedicated bandwidth, bind to a server's NIC,
 * unbind, release. Guarded by the `eip:publicips:*` actions of the native API, over the same use cases.
 */
import { z } from 'zod';
import { BANDWIDTH_RANGE } from '../../../durable/vpc/eips.ts';
import { act, authenticated } from '../../../workers/auth/middleware.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { allocateEip, bindEip, eipById, listEips, releaseEip, serverNics } from '../../../workers/vpc/usecases/eips.ts';
import { button, consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { placed } from '../vpc/forms.ts';
import { BindPage, EipRows, EipsPage } from './eips.page.tsx';

const allocateForm = z.object({
  bandwidth_size: f.int('the bandwidth', BANDWIDTH_RANGE.min, BANDWIDTH_RANGE.max),
  charge_mode: z.enum(['traffic', 'bandwidth'], { error: 'Choose how the bandwidth is billed.' }),
  bandwidth_name: f.optional().pipe(z.string().max(64, 'A bandwidth name has at most 64 characters.').optional()),
});
const bindForm = z.object({ port_id: f.text('the server NIC') });

const ALLOCATE_WORDS = [['bandwidth_size', /bandwidth size/i]] as const;
const BIND_WORDS = [['port_id', /port|fixed IP/i]] as const;

async function eipsPage(c: AppContext, failures: { allocate?: Failure; refusal?: Failure } = {}) {
  const caller = callerOf(c);
  const [eips, nics] = await Promise.all([listEips(caller), serverNics(caller)]);
  const allocate = failures.allocate && placed(failures.allocate, ALLOCATE_WORDS);
  return c.html(<EipsPage c={c} eips={eips} nics={nics} failure={allocate} refusal={failures.refusal} />);
}

async function bindPage(c: AppContext, failure?: Failure) {
  const caller = callerOf(c);
  const [{ eip }, nics] = await Promise.all([eipById(caller, c.req.param('publicip_id') ?? ''), serverNics(caller)]);
  // A NIC that has an address already is not offered (one Elastic IP per port).
  const { eips } = await listEips(caller);
  const free = nics.filter((n) => !eips.some((e) => e.portId === n.port.id));
  return c.html(<BindPage c={c} eip={eip} nics={free} failure={failure && placed(failure, BIND_WORDS)} />);
}

export const eipConsole = consoleRouter();

eipConsole.get('/', authenticated(), (c) => c.redirect('/console/eip/eips', 303));
eipConsole.get('/eips', act('eip:publicips:list'), (c) => eipsPage(c));
eipConsole.get('/eips/rows', act('eip:publicips:list'), async (c) => {
  const caller = callerOf(c);
  const [eips, nics] = await Promise.all([listEips(caller), serverNics(caller)]);
  return c.html(<EipRows c={c} eips={eips} nics={nics} />);
});
eipConsole.post(
  '/eips',
  act('eip:publicips:create'),
  form(
    allocateForm,
    async (c, input) => {
      const caller = callerOf(c);
      const id = await allocateEip(caller, {
        bandwidth: { shareType: 'PER', size: input.bandwidth_size, chargeMode: input.charge_mode, name: input.bandwidth_name },
      });
      const { eip } = await eipById(caller, id);
      return done(c, '/console/eip/eips', `Elastic IP ${eip.address ?? id} is allocated.`);
    },
    (c, failure) => eipsPage(c, { allocate: failure }),
  ),
);
eipConsole.get('/eips/:publicip_id/bind', act('eip:publicips:update'), (c) => bindPage(c));
eipConsole.post(
  '/eips/:publicip_id/bind',
  act('eip:publicips:update'),
  form(
    bindForm,
    async (c, input) => {
      const caller = callerOf(c);
      const id = c.req.param('publicip_id') ?? '';
      await bindEip(caller, id, input.port_id);
      const { eip } = await eipById(caller, id);
      return done(c, '/console/eip/eips', `Elastic IP ${eip.address ?? id} is bound.`);
    },
    (c, failure) => bindPage(c, failure),
  ),
);
eipConsole.post(
  '/eips/:publicip_id/unbind',
  act('eip:publicips:update'),
  button(
    async (c) => {
      await bindEip(callerOf(c), c.req.param('publicip_id') ?? '', null);
      return ['/console/eip/eips', 'The Elastic IP is unbound.'];
    },
    (c, failure) => eipsPage(c, { refusal: failure }),
  ),
);
eipConsole.post(
  '/eips/:publicip_id/release',
  act('eip:publicips:delete'),
  button(
    async (c) => {
      await releaseEip(callerOf(c), c.req.param('publicip_id') ?? '');
      return ['/console/eip/eips', 'The Elastic IP is released.'];
    },
    (c, failure) => eipsPage(c, { refusal: failure }),
  ),
);
