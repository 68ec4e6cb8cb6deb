/**
 * A stack's resources and events (`/stacks/{name}/{id}/resources`, `/events`): lists with Heat's filters, sort
 * direction, marker and limit (heatclient's `--wait` polls the events after its last marker), and single items.
 */
import type { EventRow } from '../../schema/stack.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { notFound } from '../lib/errors.ts';
import { heatRouter } from './errors.ts';
import { stackAt } from './stack-context.ts';
import { baseOf, eventView, resourceView } from './views.ts';

export const resourceRoutes = heatRouter();

resourceRoutes.get('/stacks/:stack_name/:stack_id/resources', act('rts:stacks:get'), async (c) => {
  const { stack, resources } = await stackAt(c);
  const only = (k: string) => c.req.queries(k) ?? [];
  const [names, types, statuses] = [only('name'), only('type'), only('status')];
  const shown = resources.filter(
    (r) =>
      r.action !== 'INIT' &&
      (!names.length || names.includes(r.name)) &&
      (!types.length || types.includes(r.type)) &&
      (!statuses.length || statuses.includes(r.status)),
  );
  return c.json({ resources: shown.map((r) => resourceView(baseOf(c), stack, r)) });
});

/** A resource of the stack, or Heat's 404. */
async function resourceAt(c: AppContext) {
  const at = await stackAt(c);
  const name = c.req.param('resource_name')!;
  const r = at.resources.find((x) => x.name === name);
  if (!r) throw notFound(`The Resource (${name}) could not be found in Stack ${at.stack.name}.`, 'ResourceNotFound');
  return { ...at, resource: r };
}

resourceRoutes.get('/stacks/:stack_name/:stack_id/resources/:resource_name', act('rts:stacks:get'), async (c) => {
  const { stack, resource } = await resourceAt(c);
  const attributes = Object.fromEntries(Object.entries(resource.attributes).filter(([k]) => k !== 'show'));
  return c.json({ resource: { ...resourceView(baseOf(c), stack, resource), attributes, description: '' } });
});

resourceRoutes.get('/stacks/:stack_name/:stack_id/resources/:resource_name/metadata', act('rts:stacks:get'), async (c) => {
  const { stack, resource } = await resourceAt(c);
  const def = (stack.template.resources as Record<string, { metadata?: unknown }> | undefined)?.[resource.name];
  return c.json({ metadata: def?.metadata ?? {} });
});

/** Events after Heat's filters, direction, marker and limit. */
function eventPage(c: AppContext, all: EventRow[]): EventRow[] {
  const only = (k: string) => c.req.queries(k) ?? [];
  const [actions, statuses, names, types] = [
    only('resource_action'),
    only('resource_status'),
    only('resource_name'),
    only('resource_type'),
  ];
  let items = all.filter(
    (e) =>
      (!actions.length || actions.includes(e.action)) &&
      (!statuses.length || statuses.includes(e.status)) &&
      (!names.length || names.includes(e.resourceName)) &&
      (!types.length || types.includes(e.resourceType)),
  );
  if (c.req.query('sort_dir') === 'desc') items = [...items].reverse();
  const marker = c.req.query('marker');
  if (marker) {
    const at = items.findIndex((e) => e.id === marker);
    if (at < 0) throw notFound(`The Event (${marker}) could not be found.`, 'EntityNotFound');
    items = items.slice(at + 1);
  }
  const limit = Number(c.req.query('limit'));
  return Number.isInteger(limit) && limit > 0 ? items.slice(0, limit) : items;
}

resourceRoutes.get('/stacks/:stack_name/:stack_id/events', act('rts:stacks:get'), async (c) => {
  const { stack, events } = await stackAt(c);
  return c.json({ events: eventPage(c, events).map((e) => eventView(baseOf(c), stack, e)) });
});

resourceRoutes.get('/stacks/:stack_name/:stack_id/resources/:resource_name/events', act('rts:stacks:get'), async (c) => {
  const { stack, events, resource } = await resourceAt(c);
  const mine = events.filter((e) => e.resourceName === resource.name);
  return c.json({ events: eventPage(c, mine).map((e) => eventView(baseOf(c), stack, e)) });
});

resourceRoutes.get('/stacks/:stack_name/:stack_id/resources/:resource_name/events/:event_id', act('rts:stacks:get'), async (c) => {
  const { stack, events, resource } = await resourceAt(c);
  const e = events.find((x) => x.id === c.req.param('event_id') && x.resourceName === resource.name);
  if (!e) throw notFound(`The Event (${c.req.param('event_id')}) could not be found.`, 'EntityNotFound');
  return c.json({ event: eventView(baseOf(c), stack, e) });
});
