/**
 * Cloud Eye's notification actions: when a rule changes state (or repeats in alarm), its alarm message goes to each
 * SMN topic its actions for that state name, through SMN's publish use case. The message names the change, so a
 * repeated evaluation of one change publishes it once.
 */
import type { Env } from '../../core/env.ts';
import { publishNotice } from '../../core/smn/notify.ts';
import type { Fired } from './alarm-rules.ts';

const STATE_WORDS = { alarm: 'ALARM', ok: 'OK', insufficient_data: 'INSUFFICIENT DATA' } as const;

/** Cloud Eye's alarm message for a change of a rule's state. */
export function alarmMessage(f: Fired) {
  return {
    subject: `[Cloud Eye] ${f.name} is ${STATE_WORDS[f.state]}`,
    message: JSON.stringify({
      alarm_id: f.alarmId,
      alarm_name: f.name,
      alarm_state: f.state,
      condition: f.reason,
      time: new Date(f.at).toISOString(),
    }),
  };
}

/** Publishes a fired rule's alarm message to the topics of its notification actions; failures are logged. */
export async function notifyTopics(env: Env, f: Fired): Promise<void> {
  const urns = f.actions.filter((a) => a.type === 'notification').flatMap((a) => a.notificationList);
  if (urns.length === 0) return;
  const failed = await publishNotice(env, urns, { ...alarmMessage(f), key: `ces:${f.alarmId}:${f.at}:${f.state}` });
  for (const x of failed) console.error(JSON.stringify({ alarm_id: f.alarmId, topic_urn: x.urn, error: x.why }));
}
