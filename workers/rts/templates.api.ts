/**
 * The template tools: `POST /validate` (what `openstack orchestration template validate` calls: the template's
 * parameters, or Heat's refusal with the path to what is wrong), the template versions with their functions, and
 * the resource types.
 */
import { z } from 'zod';
import { validateView } from '../../core/rts/parameters.ts';
import { plan, validatePlan } from '../../core/rts/stack.ts';
import { RESOURCE_TYPES } from '../../core/rts/types.ts';
import { templateFunctions, templateVersions } from '../../core/rts/versions.ts';
import { act } from '../auth/middleware.ts';
import { notFound } from '../lib/errors.ts';
import { projectScope } from '../lib/tenant.ts';
import { jsonBody } from '../lib/validate.ts';
import { heatCheck, heatRouter } from './errors.ts';
import { environmentOf, templateOf } from './stacks.api.ts';

const validateBody = z
  .object({
    template: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    template_url: z.string().optional(),
    environment: z.union([z.record(z.string(), z.unknown()), z.string()]).optional(),
    files: z.record(z.string(), z.string()).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    environment_files: z.array(z.string()).optional(),
  })
  .passthrough();

export const templateRoutes = heatRouter();

templateRoutes.post('/validate', act('rts:templates:validate'), async (c) => {
  const { projectId } = projectScope(c);
  const b = await jsonBody(c, validateBody);
  const template = templateOf(b);
  const p = heatCheck(() => {
    const planned = plan({
      template,
      environment: environmentOf(b),
      parameters: b.parameters,
      files: b.files ?? {},
      stack: { id: 'None', name: 'None', projectId },
    });
    validatePlan(planned);
    return planned;
  });
  return c.json({
    Description: p.template.description,
    Parameters: Object.fromEntries(Object.values(p.template.parameters).map((x) => [x.name, validateView(x)])),
    ParameterGroups: p.template.parameterGroups,
  });
});

templateRoutes.get('/template_versions', act('rts:templates:list'), (c) => {
  projectScope(c);
  return c.json({ template_versions: templateVersions() });
});

templateRoutes.get('/template_versions/:template_version/functions', act('rts:templates:list'), (c) => {
  projectScope(c);
  const functions = templateFunctions(c.req.param('template_version'));
  if (!functions) throw notFound(`The template version ${c.req.param('template_version')} could not be found.`, 'NotFound');
  return c.json({ template_functions: functions });
});

templateRoutes.get('/resource_types', act('rts:templates:list'), (c) => {
  projectScope(c);
  return c.json({ resource_types: Object.keys(RESOURCE_TYPES).sort() });
});
