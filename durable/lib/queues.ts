/** Sending to a queue: a queue batch takes at most 100 messages. */

/** Sends the messages in batches of 100. */
export async function sendAll<T>(queue: Queue<T>, messages: T[]): Promise<void> {
  for (let at = 0; at < messages.length; at += 100) await queue.sendBatch(messages.slice(at, at + 100).map((body) => ({ body })));
}
