/** A project's message templates inside its SmnDO: text with `{tag}` placeholders, filled when a message is published. */
import { and, asc, count, eq } from 'drizzle-orm';
import { type Template, templates } from '../../schema/smn.ts';
import { contains } from '../lib/contains.ts';
import type { OpContext } from '../lib/sqlite-object.ts';
import { exists, invalid, QUOTAS, quotaUsed, smnId, templateNotFound } from './rules.ts';

/** The tag names a template's content uses, in order of first use. */
export function tagNamesOf(content: string): string[] {
  return [...new Set([...content.matchAll(/\{([A-Za-z0-9_-]{1,64})\}/g)].map((m) => m[1]!))];
}

/** Creates a template; one per name and protocol. */
export function createTemplate(ctx: OpContext, input: { name: string; protocol: string; content: string }): Template {
  const same = ctx.db
    .select()
    .from(templates)
    .where(and(eq(templates.name, input.name), eq(templates.protocol, input.protocol)))
    .get();
  if (same) throw exists(`The message template ${input.name} for ${input.protocol} already exists.`);
  if ((ctx.db.select({ n: count() }).from(templates).get()?.n ?? 0) >= QUOTAS.template) throw quotaUsed('template');
  return ctx.db
    .insert(templates)
    .values({ ...input, id: smnId(), tagNames: tagNamesOf(input.content), createdAt: ctx.now, updatedAt: ctx.now })
    .returning()
    .get();
}

export function getTemplate(ctx: OpContext, id: string): Template {
  const t = ctx.db.select().from(templates).where(eq(templates.id, id)).get();
  if (!t) throw templateNotFound(id);
  return t;
}

/** A page of templates, optionally by (part of) name and protocol. */
export function listTemplates(ctx: OpContext, q: { offset: number; limit: number; name?: string; protocol?: string }) {
  const where = and(q.name ? contains(templates.name, q.name) : undefined, q.protocol ? eq(templates.protocol, q.protocol) : undefined);
  const total = ctx.db.select({ n: count() }).from(templates).where(where).get()?.n ?? 0;
  const page = ctx.db.select().from(templates).where(where).orderBy(asc(templates.createdAt)).limit(q.limit).offset(q.offset).all();
  return { page, total };
}

export function updateTemplate(ctx: OpContext, id: string, content: string): Template {
  getTemplate(ctx, id);
  return ctx.db
    .update(templates)
    .set({ content, tagNames: tagNamesOf(content), updatedAt: ctx.now })
    .where(eq(templates.id, id))
    .returning()
    .get();
}

export function deleteTemplate(ctx: OpContext, id: string): void {
  getTemplate(ctx, id);
  ctx.db.delete(templates).where(eq(templates.id, id)).run();
}

/**
 * The text of a template message for each protocol: the template of that protocol, else its `default` one, with
 * every tag filled (a tag the content names and the publisher did not give is refused).
 */
export function renderTemplates(ctx: OpContext, name: string, tags: Record<string, string>): Record<string, string> {
  const all = ctx.db.select().from(templates).where(eq(templates.name, name)).all();
  if (!all.some((t) => t.protocol === 'default')) throw templateNotFound(`${name} (it needs a default protocol template)`);
  const out: Record<string, string> = {};
  for (const t of all) {
    const missing = t.tagNames.filter((tag) => tags[tag] === undefined);
    if (missing.length) throw invalid(`The message template ${name} needs the tags ${missing.join(', ')}.`);
    out[t.protocol] = t.content.replace(/\{([A-Za-z0-9_-]{1,64})\}/g, (whole, tag: string) => tags[tag] ?? whole);
  }
  return out;
}
