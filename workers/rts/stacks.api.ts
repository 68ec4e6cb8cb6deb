/**
 * Heat's stacks (`/rts/v1/{project_id}/stacks`): create (checked whole before anything is made), list, the
 * name-or-id lookups that redirect to `/stacks/{name}/{id}` as Heat's do, show, outputs, template, environment,
 * files, and delete.
 */
import { z } from 'zod';
import type { StackOwner } from '../../core/rts/messages.ts';
import { type Plan, plan, validatePlan } from '../../core/rts/stack.ts';
import { summaryOf } from '../../durable/stack.ts';
import { act } from '../auth/middleware.ts';
import type { AppContext } from '../lib/app.ts';
import { badRequest, notFound } from '../lib/errors.ts';
import { projectScope, unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { heatCheck, heatRouter } from './errors.ts';
import { lookup, parametersOf, stackAt, stackIndex, stackObject } from './stack-context.ts';
import { baseOf, stackListItem, stackView } from './views.ts';

const NAME = /^[a-zA-Z][a-zA-Z0-9_.-]{0,254}$/;
const MAX_RESOURCES = 1000;

const createBody = z
  .object({
    stack_name: z.string().optional(),
    template: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    template_url: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    environment: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    files: z.record(z.string(), z.string()).optional(),
    environment_files: z.array(z.string()).optional(),
    disable_rollback: z.boolean().optional(),
    timeout_mins: z.coerce.number().int().min(1).optional(),
    tags: z.string().optional(),
  })
  .passthrough();

/** The template of a create or validate body: given inline (heatclient sends it parsed); a URL is not fetched. */
export function templateOf(b: { template?: unknown; template_url?: string }): unknown {
  if (b.template !== undefined) return b.template;
  if (b.template_url !== undefined)
    throw badRequest('Fetching a template_url is not offered: send the template itself.', 'StackValidationFailed');
  throw badRequest('No template specified', 'HTTPBadRequest');
}

/** The environment of a body, with the environment files it names (heatclient merges them client-side). */
export function environmentOf(b: { environment?: unknown }): unknown {
  return b.environment ?? {};
}

/** The caller as the stack's owner. */
function ownerOf(c: AppContext): StackOwner {
  const p = c.var.principal;
  const { projectId, projectName, region } = projectScope(c);
  return { userId: p.userId, domainId: p.domainId, domainName: p.domainName, projectId, projectName, region };
}

export const stackRoutes = heatRouter();

stackRoutes.post('/stacks', act('rts:stacks:create'), async (c) => {
  const owner = ownerOf(c);
  const b = await jsonBody(c, createBody);
  if (!b.stack_name) throw badRequest('No stack name specified', 'HTTPBadRequest');
  if (!NAME.test(b.stack_name))
    throw badRequest(
      `Invalid stack name ${b.stack_name} must contain only alphanumeric or "_-." characters, must start with alpha and must be 255 characters or less.`,
      'StackValidationFailed',
    );
  const id = crypto.randomUUID();
  const input = { template: templateOf(b), environment: environmentOf(b), parameters: b.parameters ?? {}, files: b.files ?? {} };
  const planned: Plan = heatCheck(() => plan({ ...input, stack: { id, name: b.stack_name!, projectId: owner.projectId } }));
  if (Object.keys(planned.resources).length > MAX_RESOURCES)
    throw badRequest('Maximum resources per stack exceeded.', 'RequestLimitExceeded');
  heatCheck(() => validatePlan(planned));
  const row = {
    id,
    name: b.stack_name,
    owner,
    template: planned.template.raw,
    environment: (typeof input.environment === 'object' ? input.environment : planned.environment) as Record<string, unknown>,
    files: input.files,
    parameters: input.parameters,
    disableRollback: b.disable_rollback ?? true,
    timeoutMins: b.timeout_mins ?? null,
    tags: b.tags ? b.tags.split(',').map((t) => t.trim()) : null,
  };
  const now = new Date().toISOString();
  const summary = summaryOf({
    ...row,
    action: 'INIT',
    status: 'COMPLETE',
    reason: '',
    outputs: [],
    createdAt: now,
    updatedAt: null,
    deletedAt: null,
    deadline: null,
  });
  unwrap(await stackIndex(c).reserve(summary));
  const created = await stackObject(c.env, id).create(row);
  if (!('ok' in created)) {
    await stackIndex(c).drop(id);
    unwrap(created);
  }
  const href = `${baseOf(c)}/stacks/${b.stack_name}/${id}`;
  return c.json({ stack: { id, links: [{ href, rel: 'self' }] } }, 201, { Location: href });
});

const listQuery = z.object({
  show_deleted: z.string().optional(),
  limit: z.coerce.number().int().min(1).optional(),
  marker: z.string().optional(),
});

/** The project's stacks, filtered by Heat's list filters (`name`, `status`, `id`), sorted and paged. */
async function listed(c: AppContext) {
  const index = stackIndex(c);
  const q = query(c, listQuery);
  const all = await index.list(q.show_deleted === 'True' || q.show_deleted === 'true');
  const pick = (k: string) => c.req.queries(k) ?? [];
  const [names, statuses, ids] = [pick('name'), pick('status'), pick('id')];
  let items = all.filter(
    (s) =>
      (!names.length || names.includes(s.name)) &&
      (!statuses.length || statuses.includes(s.status) || statuses.includes(s.status.split('_').pop()!)) &&
      (!ids.length || ids.includes(s.id)),
  );
  if (c.req.query('sort_dir') === 'desc') items = items.reverse();
  if (q.marker) {
    const at = items.findIndex((s) => s.id === q.marker);
    if (at < 0) throw notFound(`The Stack (${q.marker}) could not be found.`, 'EntityNotFound');
    items = items.slice(at + 1);
  }
  return q.limit ? items.slice(0, q.limit) : items;
}

stackRoutes.get('/stacks', act('rts:stacks:list'), async (c) =>
  c.json({ stacks: (await listed(c)).map((s) => stackListItem(baseOf(c), s)) }),
);
stackRoutes.get('/stacks/detail', act('rts:stacks:list'), async (c) =>
  c.json({ stacks: (await listed(c)).map((s) => stackListItem(baseOf(c), s)) }),
);

/** Heat's lookup: `/stacks/{name or id}[/sub]` redirects to the stack's canonical path, keeping the query. */
async function redirect(c: AppContext, sub = '') {
  const s = await lookup(c, c.req.param('stack_name')!);
  const q = new URL(c.req.url).search;
  return c.redirect(`${baseOf(c)}/stacks/${s.name}/${s.id}${sub}${q}`, 302);
}

stackRoutes.get('/stacks/:stack_name', act('rts:stacks:get'), (c) => redirect(c));
stackRoutes.delete('/stacks/:stack_name', act('rts:stacks:delete'), (c) => redirect(c));

const SUBS = new Set(['resources', 'events', 'template', 'outputs', 'environment', 'files']);

stackRoutes.get('/stacks/:stack_name/:stack_id', act('rts:stacks:get'), async (c) => {
  // `/stacks/st1/events` is a lookup of st1 followed by a sub-resource, not the stack named st1 with id `events`.
  if (SUBS.has(c.req.param('stack_id'))) return redirect(c, `/${c.req.param('stack_id')}`);
  const { stack } = await stackAt(c);
  const { values, hidden } = parametersOf(stack);
  const view = stackView(baseOf(c), stack, values, hidden);
  return c.json({ stack: c.req.query('resolve_outputs')?.toLowerCase() === 'false' ? { ...view, outputs: undefined } : view });
});

stackRoutes.delete('/stacks/:stack_name/:stack_id', act('rts:stacks:delete'), async (c) => {
  const { stack } = await stackAt(c);
  unwrap(await stackObject(c.env, stack.id).delete());
  return c.body(null, 204);
});

stackRoutes.get('/stacks/:stack_name/:stack_id/outputs', act('rts:stacks:get'), async (c) => {
  const { stack } = await stackAt(c);
  return c.json({ outputs: stack.outputs.map((o) => ({ output_key: o.output_key, description: o.description })) });
});

stackRoutes.get('/stacks/:stack_name/:stack_id/outputs/:output_key', act('rts:stacks:get'), async (c) => {
  const { stack } = await stackAt(c);
  const o = stack.outputs.find((x) => x.output_key === c.req.param('output_key'));
  if (!o) throw notFound(`Specified output key ${c.req.param('output_key')} not found.`, 'NotFound');
  return c.json({ output: o });
});

stackRoutes.get('/stacks/:stack_name/:stack_id/template', act('rts:stacks:get'), async (c) => c.json((await stackAt(c)).stack.template));
stackRoutes.get('/stacks/:stack_name/:stack_id/environment', act('rts:stacks:get'), async (c) =>
  c.json((await stackAt(c)).stack.environment),
);
stackRoutes.get('/stacks/:stack_name/:stack_id/files', act('rts:stacks:get'), async (c) => c.json((await stackAt(c)).stack.files));
