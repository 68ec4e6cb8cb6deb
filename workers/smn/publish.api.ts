/**
 * SMN v2's publishing and message templates: `POST .../topics/{topic_urn}/publish` with exactly one of `message`,
 * `message_structure` (a JSON text with a `default` and a text per protocol) or `message_template_name` with its
 * `tags`; and the templates themselves (`/message_template`). The project's SmnDO signs and delivers.
 */
import { z } from 'zod';
import type { PublishBody } from '../../durable/smn/publish.ts';
import type { Template } from '../../schema/smn.ts';
import { act } from '../auth/middleware.ts';
import { badRequest } from '../lib/errors.ts';
import { unwrap } from '../lib/tenant.ts';
import { jsonBody, query } from '../lib/validate.ts';
import { smnRouter } from './errors.ts';
import { rid, smnOf } from './topics.api.ts';

const PROTOCOLS = ['default', 'http', 'https', 'email', 'sms'] as const;
const MAX_MESSAGE = 256 * 1024;
const bytes = (s: string) => new TextEncoder().encode(s).length;

const publishBody = z
  .object({
    subject: z.string().max(512).optional(),
    message: z.string().min(1).optional(),
    message_structure: z.string().min(1).optional(),
    message_template_name: z
      .string()
      .regex(/^[\w-]{1,64}$/)
      .optional(),
    tags: z.record(z.string().regex(/^[\w-]{1,64}$/), z.string().max(1024)).optional(),
    time_to_live: z
      .string()
      .regex(/^\d{1,6}$/, 'time_to_live is a number of seconds')
      .optional(),
  })
  .strict();

/** The one body a publish gives, checked: sizes, the structure's JSON with its `default`. */
function bodyOf(b: z.output<typeof publishBody>): PublishBody {
  const given = [b.message, b.message_structure, b.message_template_name].filter((v) => v !== undefined).length;
  if (given !== 1) throw badRequest('Give exactly one of message, message_structure and message_template_name.');
  if (b.message !== undefined) {
    if (bytes(b.message) > MAX_MESSAGE) throw badRequest('A message is at most 256 KB.');
    return { kind: 'message', message: b.message };
  }
  if (b.message_template_name !== undefined) return { kind: 'template', name: b.message_template_name, tags: b.tags ?? {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(b.message_structure!);
  } catch {
    throw badRequest('message_structure is not a JSON object.');
  }
  const structure = z.partialRecord(z.enum(PROTOCOLS), z.string()).safeParse(parsed);
  if (!structure.success || structure.data.default === undefined) {
    throw badRequest('message_structure is a JSON object of texts by protocol (default, http, https, email, sms), default required.');
  }
  if (Object.values(structure.data).some((t) => bytes(t) > MAX_MESSAGE)) throw badRequest('A message is at most 256 KB.');
  return { kind: 'structure', bodies: structure.data as Record<string, string> };
}

export const publishRoutes = smnRouter();

publishRoutes.post('/notifications/topics/:topic_urn/publish', act('smn:topic:publish'), async (c) => {
  const store = smnOf(c);
  const b = await jsonBody(c, publishBody);
  const ttl = Number(b.time_to_live ?? 3600);
  if (ttl < 1 || ttl > 86_400) throw badRequest('time_to_live is 1 to 86400 seconds.');
  const r = unwrap(await store.publish({ topicUrn: c.req.param('topic_urn') ?? '', subject: b.subject ?? '', body: bodyOf(b), ttl }));
  return c.json({ ...rid(c), message_id: r.messageId });
});

/** A template as SMN v2 shows it (its content when shown alone). */
function templateView(t: Template, withContent = false) {
  return {
    message_template_id: t.id,
    message_template_name: t.name,
    protocol: t.protocol,
    tag_names: t.tagNames,
    create_time: t.createdAt,
    update_time: t.updatedAt,
    ...(withContent ? { content: t.content } : {}),
  };
}

const content = z.string().min(1).max(MAX_MESSAGE);
const templateId = (c: { req: { param: (k: string) => string | undefined } }) => c.req.param('message_template_id') ?? '';

publishRoutes.post('/notifications/message_template', act('smn:template:create'), async (c) => {
  const store = smnOf(c);
  const b = await jsonBody(
    c,
    z.object({ message_template_name: z.string().regex(/^[\w-]{1,64}$/), protocol: z.enum(PROTOCOLS), content }).strict(),
  );
  const t = unwrap(await store.createTemplate({ name: b.message_template_name, protocol: b.protocol, content: b.content }));
  return c.json({ ...rid(c), message_template_id: t.id }, 201);
});

publishRoutes.get('/notifications/message_template', act('smn:template:list'), async (c) => {
  const store = smnOf(c);
  const q = query(
    c,
    z.object({
      offset: z.coerce.number().int().min(0).default(0),
      limit: z.coerce.number().int().min(1).max(100).default(100),
      message_template_name: z.string().max(64).optional(),
      protocol: z.enum(PROTOCOLS).optional(),
    }),
  );
  const { page, total } = unwrap(
    await store.templates({ offset: q.offset, limit: q.limit, name: q.message_template_name, protocol: q.protocol }),
  );
  return c.json({ ...rid(c), message_template_count: total, message_templates: page.map((t) => templateView(t)) });
});

publishRoutes.get('/notifications/message_template/:message_template_id', act('smn:template:list'), async (c) => {
  const t = unwrap(await smnOf(c).template(templateId(c)));
  return c.json({ ...rid(c), ...templateView(t, true) });
});

publishRoutes.put('/notifications/message_template/:message_template_id', act('smn:template:update'), async (c) => {
  const store = smnOf(c);
  const b = await jsonBody(c, z.object({ content }).strict());
  unwrap(await store.updateTemplate(templateId(c), b.content));
  return c.json(rid(c));
});

publishRoutes.delete('/notifications/message_template/:message_template_id', act('smn:template:delete'), async (c) => {
  unwrap(await smnOf(c).deleteTemplate(templateId(c)));
  return c.json(rid(c));
});
