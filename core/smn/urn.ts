/** SMN's resource names: `urn:smn:{region}:{project_id}:{topic name}`, and a subscription's `{topic urn}:{id}`. */

/** A topic name as SMN allows it: a letter or digit first, then letters, digits, - and _, up to 255. */
export const TOPIC_NAME = /^[A-Za-z0-9][\w-]{0,254}$/;

/** The URN of a project's topic. */
export const topicUrn = (region: string, projectId: string, name: string) => `urn:smn:${region}:${projectId}:${name}`;

/** The parts of a topic URN, or undefined when the text is not one. */
export function parseTopicUrn(urn: string): { region: string; projectId: string; name: string } | undefined {
  const m = /^urn:smn:([a-z0-9-]+):([0-9a-f-]+):([A-Za-z0-9][\w-]{0,254})$/.exec(urn);
  return m ? { region: m[1]!, projectId: m[2]!, name: m[3]! } : undefined;
}

/** The topic URN of a subscription URN (the part before its last colon), or undefined. */
export function topicOfSubscription(urn: string): string | undefined {
  const at = urn.lastIndexOf(':');
  const topic = at > 0 ? urn.slice(0, at) : '';
  return parseTopicUrn(topic) && /^[0-9a-f]{32}$/.test(urn.slice(at + 1)) ? topic : undefined;
}
