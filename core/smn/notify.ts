/**
 * SMN's publish use case for the other services' owners (Cloud Eye's alarm rules, billing's notices): they name
 * topics by URN and publish through the topic's SmnDO, never through its tables. The project of a topic is in its
 * URN; a publish names its event (`key`), so that a retried one publishes once.
 */
import type { Env } from '../env.ts';
import { parseTopicUrn } from './urn.ts';

export interface Notice {
  subject: string;
  message: string;
  /** The publisher's event, unique per topic: `ces:{alarm id}:{time}:{state}`. */
  key: string;
}

/** The URNs among `urns` that are not topics of the project (another project's, malformed, or not there). */
export async function missingTopics(env: Env, projectId: string, urns: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const urn of new Set(urns)) {
    const parsed = parseTopicUrn(urn);
    const found = parsed?.projectId === projectId && 'ok' in (await env.SMN.getByName(projectId).topic(urn));
    if (!found) missing.push(urn);
  }
  return missing;
}

/** Publishes a notice to each topic; answers the URNs it could not publish to (deleted since, say), with why. */
export async function publishNotice(env: Env, urns: readonly string[], notice: Notice): Promise<{ urn: string; why: string }[]> {
  const failed: { urn: string; why: string }[] = [];
  for (const urn of new Set(urns)) {
    const parsed = parseTopicUrn(urn);
    if (!parsed) {
      failed.push({ urn, why: 'not a topic URN' });
      continue;
    }
    const r = await env.SMN.getByName(parsed.projectId).publish({
      topicUrn: urn,
      subject: notice.subject,
      body: { kind: 'message', message: notice.message },
      ttl: 86_400,
      key: `${notice.key}:${urn}`,
    });
    if ('error' in r) failed.push({ urn, why: r.error.message });
  }
  return failed;
}
