/**
 * The Console's ECS section, mounted at `/console/ecs`: the server list (with its live rows), the create wizard,
 * a server's page (with its live summary and console log) and the actions on servers. Each route is guarded by
 * the policy action its API route has, and calls the compute use cases as the APIs do.
 */

import { z } from 'zod';
import { act } from '../../../workers/auth/middleware.ts';
import { deleteServers, eipsOf, finishResize, powerServers, resizeServer } from '../../../workers/ecs/usecases/servers.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { button, consoleRouter, done, type Failure, f, form } from '../kit.tsx';
import { ConsoleLog, renderServer, Summary, serverOfPath } from './server.page.tsx';
import { renderRows, renderServers } from './servers.page.tsx';
import { createHandler, renderWizard } from './wizard.page.tsx';
import { CONSOLE_WORDS } from './words.ts';

export const ecsConsole = consoleRouter();

ecsConsole.get('/', act('ecs:servers:list'), (c) => c.redirect('/console/ecs/servers', 303));
ecsConsole.get('/servers', act('ecs:servers:list'), (c) => renderServers(c));
ecsConsole.get('/servers/rows', act('ecs:servers:list'), (c) => renderRows(c));
ecsConsole.get('/servers/new', act('ecs:servers:create'), (c) => renderWizard(c));
ecsConsole.post('/servers', act('ecs:servers:create'), createHandler);

ecsConsole.get('/servers/:server_id', act('ecs:servers:get'), (c) => renderServer(c));
ecsConsole.get('/servers/:server_id/summary', act('ecs:servers:get'), async (c) => c.html(<Summary c={c} r={await serverOfPath(c)} />));
ecsConsole.get('/servers/:server_id/console', act('ecs:servers:getConsoleOutput'), async (c) =>
  c.html(<ConsoleLog c={c} s={(await serverOfPath(c)).server} />),
);

/** An action's form: where it was posted from (the list or the server's page), to go back there. */
const actionForm = z.object({ from: z.enum(['list', 'server']).default('list') });

/** Where to go back to after an action on the server of the path. */
const back = (c: AppContext, from: 'list' | 'server') =>
  from === 'server' ? `/console/ecs/servers/${c.req.param('server_id')}` : '/console/ecs/servers';

/** A refused action re-renders the page it came from, with the refusal at its top. */
function refused(c: AppContext, failure: Failure) {
  return failure.values.from === 'server' && failure.status !== 404 ? renderServer(c, failure) : renderServers(c, failure);
}

const POWER = [
  ['start', 'os-start', 'ecs:servers:start', 'is starting'],
  ['stop', 'os-stop', 'ecs:servers:stop', 'is stopping'],
  ['reboot', 'reboot', 'ecs:servers:reboot', 'is rebooting'],
] as const;

for (const [path, action, policy, words] of POWER) {
  ecsConsole.post(
    `/servers/:server_id/${path}`,
    act(policy),
    form(
      actionForm,
      async (c, input) => {
        const { server } = await serverOfPath(c);
        await powerServers(callerOf(c), [server.id], action, false);
        return done(c, back(c, input.from), `Server ${server.name} ${words}.`);
      },
      refused,
    ),
  );
}

ecsConsole.post(
  '/servers/:server_id/resize',
  act('ecs:servers:resize'),
  form(
    z.object({ flavor: z.string({ error: 'Choose a flavor.' }).trim().min(1, 'Choose a flavor.') }),
    async (c, input) => {
      const { server } = await serverOfPath(c);
      await resizeServer(callerOf(c), server, input.flavor, CONSOLE_WORDS);
      return done(
        c,
        `/console/ecs/servers/${server.id}`,
        `Server ${server.name} is being resized to ${input.flavor}: confirm or revert once it is done.`,
      );
    },
    (c, failure) => (failure.status === 404 ? renderServers(c, failure) : renderServer(c, failure, 'resize')),
  ),
);

for (const [path, confirm, policy] of [
  ['confirm-resize', true, 'ecs:servers:confirmResize'],
  ['revert-resize', false, 'ecs:servers:revertResize'],
] as const) {
  ecsConsole.post(
    `/servers/:server_id/${path}`,
    act(policy),
    button(
      async (c) => {
        const { server } = await serverOfPath(c);
        await finishResize(callerOf(c), server.id, confirm);
        return [`/console/ecs/servers/${server.id}`, `The resize of ${server.name} is ${confirm ? 'confirmed' : 'reverted'}.`] as const;
      },
      (c, failure) => renderServer(c, failure),
    ),
  );
}

ecsConsole.post(
  '/servers/:server_id/delete',
  act('ecs:servers:delete'),
  form(
    actionForm.extend({ release_eip: f.check(), delete_volumes: f.check() }),
    async (c, input) => {
      const r = await serverOfPath(c);
      const server = r.server;
      // The EIPs are found before the delete: their ports go with the server.
      const releaseEips = input.release_eip ? eipsOf(r, [server]) : [];
      await deleteServers(callerOf(c), [server.id], { releaseEips, deleteVolumes: input.delete_volumes });
      return done(c, '/console/ecs/servers', `Server ${server.name} is being deleted.`);
    },
    (c, failure) =>
      failure.values.from === 'server' && failure.status !== 404 ? renderServer(c, failure, 'delete') : renderServers(c, failure),
  ),
);
