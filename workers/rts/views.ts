/** Heat's wire shapes of stacks, resources and events, over the StackDO's rows and the project's index. */
import { summaryOf } from '../../durable/stack.ts';
import type { EventRow, ResourceRow, StackRow } from '../../schema/stack.ts';
import type { StackSummary } from '../../schema/stack-index.ts';
import type { AppContext } from '../lib/app.ts';
import { projectScope } from '../lib/tenant.ts';

/** The project's RTS endpoint, as the catalog publishes it (links and redirects are absolute). */
export const baseOf = (c: AppContext) => `${new URL(c.req.url).origin}/rts/v1/${projectScope(c).projectId}`;

const link = (href: string, rel: string) => ({ href, rel });
const z = (t: string | null) => (t ? `${t.slice(0, 19)}Z` : null);

/** A stack as a list shows it. */
export function stackListItem(base: string, s: StackSummary) {
  return {
    id: s.id,
    links: [link(`${base}/stacks/${s.name}/${s.id}`, 'self')],
    stack_name: s.name,
    description: s.description,
    stack_status: s.status,
    stack_status_reason: s.reason,
    creation_time: z(s.createdAt),
    updated_time: z(s.updatedAt),
    deletion_time: z(s.deletedAt),
    stack_owner: null,
    parent: null,
    stack_user_project_id: null,
    tags: s.tags,
  };
}

/** A stack as show gives it: with parameters (hidden ones masked) and outputs. */
export function stackView(base: string, s: StackRow, params: Record<string, unknown>, hidden: Set<string>) {
  const summary = summaryOf(s);
  return {
    ...stackListItem(base, summary),
    parameters: Object.fromEntries(
      Object.entries(params).map(([k, v]) => [k, hidden.has(k) ? '******' : typeof v === 'string' ? v : JSON.stringify(v)]),
    ),
    outputs: s.outputs,
    capabilities: [],
    notification_topics: [],
    disable_rollback: s.disableRollback,
    timeout_mins: s.timeoutMins,
    template_description: summary.description,
  };
}

/** A resource of a stack. */
export function resourceView(base: string, s: StackRow, r: ResourceRow) {
  const stackHref = `${base}/stacks/${s.name}/${s.id}`;
  return {
    resource_name: r.name,
    logical_resource_id: r.name,
    physical_resource_id: r.physicalId,
    resource_type: r.type,
    resource_status: `${r.action}_${r.status}`,
    resource_status_reason: r.reason,
    creation_time: z(r.createdAt),
    updated_time: z(r.updatedAt ?? r.createdAt),
    required_by: r.requiredBy,
    links: [link(`${stackHref}/resources/${r.name}`, 'self'), link(stackHref, 'stack')],
  };
}

/** An event of the stack (its own, named after it) or of one of its resources. */
export function eventView(base: string, s: StackRow, e: EventRow) {
  const stackHref = `${base}/stacks/${s.name}/${s.id}`;
  const resourceHref = `${stackHref}/resources/${e.resourceName}`;
  return {
    id: e.id,
    event_time: z(e.time),
    resource_name: e.resourceName,
    logical_resource_id: e.resourceName,
    physical_resource_id: e.physicalId,
    resource_type: e.resourceType,
    resource_status: `${e.action}_${e.status}`,
    resource_status_reason: e.reason,
    links: [link(`${resourceHref}/events/${e.id}`, 'self'), link(resourceHref, 'resource'), link(stackHref, 'stack')],
  };
}
