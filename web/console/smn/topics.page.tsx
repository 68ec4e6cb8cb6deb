/**
 * The Console's SMN pages: the topic list with its create form; a topic's page (its subscriptions with their status,
 * subscribe and publish forms, its newest deliveries with their attempts); the delivery log and the outbox.
 */
import type { Delivery, Subscription } from '../../../schema/smn.ts';
import type { AppContext } from '../../../workers/lib/app.ts';
import { callerOf } from '../../../workers/lib/caller.ts';
import { topicDetail, topicsOf } from '../../../workers/smn/usecases/topics.ts';
import { ActionButton, ConsolePage, Empty, type Failure, Field, Form, Refusal, Select, Status, Table, Tabs } from '../kit.tsx';

/** The Console page of a topic. */
export const topicHref = (urn: string) => `/console/smn/topics/${encodeURIComponent(urn)}`;

const STATUS_WORDS: Record<number, string> = { 0: 'unconfirmed', 1: 'confirmed', 2: 'no confirmation needed', 3: 'canceled' };

function SectionTabs({ current }: { current: 'topics' | 'log' | 'outbox' }) {
  return (
    <Tabs
      label="Simple Message Notification"
      current={current}
      tabs={[
        { key: 'topics', href: '/console/smn/topics', label: 'Topics' },
        { key: 'log', href: '/console/smn/deliveries', label: 'Delivery log' },
        { key: 'outbox', href: '/console/smn/deliveries?outbox=1', label: 'Email and SMS outbox' },
      ]}
    />
  );
}

/** The topic list and the create form. */
export async function renderTopics(c: AppContext, failure?: Failure) {
  const topics = await topicsOf(callerOf(c));
  const head = ['Name', 'Display name', 'URN'];
  return c.html(
    <ConsolePage c={c} title="SMN topics" section="smn">
      <h1>Simple Message Notification</h1>
      <SectionTabs current="topics" />
      <Table caption="Topics" head={head}>
        <tbody>
          {topics.length === 0 ? (
            <Empty cols={head.length}>No topics yet.</Empty>
          ) : (
            topics.map((t) => (
              <tr data-topic={t.urn}>
                <td>
                  <a href={topicHref(t.urn)}>{t.name}</a>
                </td>
                <td>{t.displayName}</td>
                <td>
                  <code>{t.urn}</code>
                </td>
              </tr>
            ))
          )}
        </tbody>
      </Table>
      <h2>Create a topic</h2>
      <Form c={c} action="/console/smn/topics" submit="Create topic" failure={failure} label="Create a topic">
        <Field name="name" label="Name" failure={failure} required />
        <Field name="display_name" label="Display name (optional)" failure={failure} />
      </Form>
    </ConsolePage>,
  );
}

function SubscriptionRows({ c, subs }: { c: AppContext; subs: Subscription[] }) {
  if (subs.length === 0) return <Empty cols={5}>No subscriptions yet.</Empty>;
  return (
    <>
      {subs.map((s) => (
        <tr data-subscription={s.urn}>
          <td>{s.protocol}</td>
          <td>{s.endpoint}</td>
          <td>
            <Status value={STATUS_WORDS[s.status] ?? String(s.status)} />
          </td>
          <td>{s.remark}</td>
          <td>
            <ActionButton
              c={c}
              action={`/console/smn/subscriptions/${encodeURIComponent(s.urn)}/delete`}
              fields={{ topic: s.topicUrn }}
              label="Delete"
              danger
              title={`Delete the subscription of ${s.endpoint}`}
            />
          </td>
        </tr>
      ))}
    </>
  );
}

type LoggedDelivery = Delivery & { tries: { n: number; at: string; httpStatus: number | null; error: string | null }[] };

/** Deliveries with their attempts: the message, the endpoint, the status, each try's answer. */
function DeliveryTable({ rows, outbox }: { rows: LoggedDelivery[]; outbox: boolean }) {
  const head = outbox ? ['Time', 'Type', 'To', 'Text'] : ['Time', 'Type', 'Endpoint', 'Status', 'Attempts'];
  return (
    <Table caption={outbox ? 'Outbox: kept, not sent' : 'Deliveries'} head={head}>
      <tbody>
        {rows.length === 0 && <Empty cols={head.length}>Nothing yet.</Empty>}
        {rows.map((d) => (
          <tr data-message={d.messageId}>
            <td>{d.createdAt}</td>
            <td>{d.type}</td>
            <td>{d.endpoint}</td>
            {outbox ? (
              <td>
                <pre>{d.payload}</pre>
              </td>
            ) : (
              <>
                <td>
                  <Status value={d.status} />
                </td>
                <td>{d.tries.map((t) => `#${t.n} ${t.httpStatus ?? t.error}`).join('; ') || '—'}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** A topic's page; a refused form shows its failure next to its fields. */
export async function renderTopic(c: AppContext, failure?: Failure, on?: 'subscribe' | 'publish') {
  const urn = c.req.param('topic_urn') ?? '';
  const { topic, subscriptions, deliveries } = await topicDetail(callerOf(c), urn);
  const base = topicHref(topic.urn);
  const web = deliveries.filter((d) => d.protocol === 'http' || d.protocol === 'https');
  return c.html(
    <ConsolePage c={c} title={`Topic ${topic.name}`} section="smn">
      <h1>Topic {topic.name}</h1>
      <p>
        <a href="/console/smn/topics">Back to the topics</a> · URN <code>{topic.urn}</code>
      </p>
      <Refusal failure={failure} shown={on} />
      <Table caption="Subscriptions" head={['Protocol', 'Endpoint', 'Status', 'Remark', 'Actions']}>
        <tbody>
          <SubscriptionRows c={c} subs={subscriptions} />
        </tbody>
      </Table>
      <h2>Subscribe an endpoint</h2>
      <Form c={c} action={`${base}/subscriptions`} submit="Subscribe" failure={on === 'subscribe' ? failure : undefined} label="Subscribe">
        <Select
          name="protocol"
          label="Protocol"
          options={['http', 'https', 'email', 'sms'].map((p) => ({ value: p, label: p }))}
          required
          failure={on === 'subscribe' ? failure : undefined}
        />
        <Field
          name="endpoint"
          label="Endpoint (URL, email address or phone number)"
          failure={on === 'subscribe' ? failure : undefined}
          required
        />
        <Field name="remark" label="Remark (optional)" failure={on === 'subscribe' ? failure : undefined} />
      </Form>
      <h2>Publish a message</h2>
      <Form c={c} action={`${base}/publish`} submit="Publish" failure={on === 'publish' ? failure : undefined} label="Publish">
        <Field name="subject" label="Subject (optional)" failure={on === 'publish' ? failure : undefined} />
        <Field name="message" label="Message" multiline required failure={on === 'publish' ? failure : undefined} />
      </Form>
      <h2>Newest deliveries</h2>
      <DeliveryTable rows={web} outbox={false} />
      <h2>Delete</h2>
      <Form c={c} action={`${base}/delete`} submit="Delete the topic and its subscriptions" label="Delete" />
    </ConsolePage>,
  );
}

/** The project's delivery log (HTTP(S)) or its outbox (email and SMS). */
export function renderDeliveries(c: AppContext, outbox: boolean, rows: LoggedDelivery[]) {
  return c.html(
    <ConsolePage c={c} title={outbox ? 'SMN outbox' : 'SMN delivery log'} section="smn">
      <h1>Simple Message Notification</h1>
      <SectionTabs current={outbox ? 'outbox' : 'log'} />
      {outbox && (
        <p>
          This cloud has no mail or SMS gateway: what email and SMS subscriptions would receive is kept here, and nothing is sent. A
          confirmation request's link confirms the subscription when visited.
        </p>
      )}
      <DeliveryTable rows={rows} outbox={outbox} />
    </ConsolePage>,
  );
}
