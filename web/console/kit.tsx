/**
 * The Console's building blocks, used by every section: forms that carry the CSRF token and show a refusal next
 * to the field that caused it, the POST handler that parses a form and re-renders it on failure, tables, status
 * tags, row actions, and live regions that follow a resource's status without a reload.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { AppContext, AppEnv } from '../../workers/lib/app.ts';
import { router } from '../../workers/lib/app.ts';
import { ApiError } from '../../workers/lib/errors.ts';
import { flash } from '../session/session.ts';
import { ConsolePage, CsrfField } from './layout.tsx';

export { ConsolePage, CsrfField, Script } from './layout.tsx';

/** Why a form was refused: the message, the field it names (if any), what was typed, and the status to answer. */
export interface Failure {
  message: string;
  field?: string | undefined;
  values: Record<string, string | string[]>;
  status: number;
}

/** The value a failed form had in a field (to type it again is not asked of anyone). */
export function typed(failure: Failure | undefined, name: string, fallback = ''): string {
  const v = failure?.values[name];
  return Array.isArray(v) ? (v[0] ?? fallback) : (v ?? fallback);
}

/** A router of Console pages: a refusal renders as a page with its status and message. */
export function consoleRouter() {
  const r = router();
  r.onError((err, c) => renderConsoleError(err, c));
  return r;
}

/** Renders an error as a Console page: an ApiError's status and words; anything else a 500 without details. */
export function renderConsoleError(err: unknown, c: AppContext): Response {
  const { status, message, title } = refusalOf(err, c);
  c.status(status as 500);
  return c.html(
    <ConsolePage c={c} title={title}>
      <h1>{title}</h1>
      <p role="alert" class="banner">
        {message}
      </p>
      <p>
        <a href={status === 401 ? '/console/sign-in' : '/console'}>{status === 401 ? 'Sign in' : 'Back to the overview'}</a>
      </p>
    </ConsolePage>,
  ) as unknown as Response;
}

/** What an error page says (the Console's and the Customer Portal's): an ApiError's status and words; anything else a logged 500 without details. */
export function refusalOf(err: unknown, c: AppContext): { status: number; message: string; title: string } {
  let status = 500;
  let message = 'Something went wrong on our side; the request was not completed.';
  if (err instanceof ApiError) ({ status, message } = err);
  else console.error(JSON.stringify({ request_id: c.get('requestId'), error: String(err), stack: (err as Error)?.stack }));
  const title = status === 403 ? 'Not allowed' : status === 404 ? 'Not found' : status === 401 ? 'Signed out' : 'Refused';
  return { status, message, title };
}

/** A form's fields as zod sees them: strings, a list where a field repeats or allows several. */
type FormValues = Record<string, string | string[]>;

async function formValues(c: AppContext): Promise<FormValues> {
  const body = await c.req.parseBody({ all: true });
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === '_csrf') continue;
    if (Array.isArray(v)) out[k] = v.filter((x): x is string => typeof x === 'string');
    else if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** Zod pieces for form fields, which arrive as strings (or absent, for an unticked box). */
export const f = {
  /** A required text, trimmed. */
  text: (what: string) =>
    z
      .string({ error: `Enter ${what}.` })
      .trim()
      .min(1, `Enter ${what}.`),
  /** An optional text: empty is absent. */
  optional: () =>
    z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined),
  /** A whole number within bounds. */
  int: (what: string, min: number, max: number) =>
    z.coerce
      .number({ error: `Enter ${what} as a number.` })
      .int(`Enter ${what} as a whole number.`)
      .min(min, `${what[0]?.toUpperCase()}${what.slice(1)} is at least ${min}.`)
      .max(max, `${what[0]?.toUpperCase()}${what.slice(1)} is at most ${max}.`),
  /** A ticked box (`on`), or not. */
  check: () =>
    z
      .string()
      .optional()
      .transform((v) => v !== undefined && v !== ''),
  /** Several values of one field (checkboxes, a multiple select). */
  list: () =>
    z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).filter(Boolean))),
};

/**
 * A form's POST handler: parses the body with the schema and calls `onValid`; a schema issue, or a refusal
 * (ApiError) from the use case it calls, re-renders the page through `onInvalid` with the failure, at its status.
 */
export function form<S extends z.ZodType>(
  schema: S,
  onValid: (c: AppContext, input: z.output<S>) => Promise<Response> | Response,
  onInvalid: (c: AppContext, failure: Failure) => Response | Promise<Response>,
) {
  return async (c: Context<AppEnv>) => {
    const values = await formValues(c);
    const parsed = schema.safeParse(values);
    let failure: Failure;
    if (parsed.success) {
      try {
        return await onValid(c, parsed.data);
      } catch (err) {
        if (!(err instanceof ApiError) || err.status >= 500) throw err;
        failure = { message: err.message, field: fieldOf(err), values, status: err.status };
      }
    } else {
      const issue = parsed.error.issues[0];
      failure = { message: issue?.message ?? 'The form is not valid.', field: issue?.path[0]?.toString(), values, status: 400 };
    }
    c.status(failure.status as 400);
    return onInvalid(c, failure);
  };
}

/** A refusal may name the field it is about (`new ApiError(...)` with `field`); most name none. */
const fieldOf = (err: ApiError): string | undefined => (err as ApiError & { field?: string }).field;

/** Throws a refusal about one field of a form (the use cases' own refusals name none). */
export function fieldError(field: string, message: string, status = 400): never {
  throw Object.assign(new ApiError(status, message), { field });
}

/** After a form succeeded: a 303 to the page to show, with a one-time message on it. */
export function done(c: AppContext, to: string, message: string): Response {
  flash(c, message);
  return c.redirect(to, 303);
}

/** A POST form with the CSRF token; a failure that names no field shows at its top. */
export function Form(props: {
  c: AppContext;
  action: string;
  submit: string;
  failure?: Failure | undefined;
  children?: Child;
  /** `multipart/form-data` for a file. */
  enctype?: 'multipart/form-data';
  id?: string;
  label?: string;
}) {
  const general = props.failure && !props.failure.field ? props.failure.message : undefined;
  return (
    <form method="post" action={props.action} class="stack" enctype={props.enctype} id={props.id} aria-label={props.label}>
      <CsrfField c={props.c} />
      {general && (
        <p role="alert" class="banner">
          {general}
        </p>
      )}
      {props.children}
      <div>
        <button type="submit">{props.submit}</button>
      </div>
    </form>
  );
}

function FieldMessages({ name, hint, failure }: { name: string; hint?: string | undefined; failure?: Failure | undefined }) {
  const error = failure?.field === name ? failure.message : undefined;
  return (
    <>
      {hint && (
        <p class="hint" id={`${name}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${name}-error`} role="alert">
          {error}
        </p>
      )}
    </>
  );
}

function described(name: string, hint: string | undefined, failure: Failure | undefined) {
  const ids = [hint ? `${name}-hint` : '', failure?.field === name ? `${name}-error` : ''].filter(Boolean).join(' ');
  return { 'aria-describedby': ids || undefined, 'aria-invalid': failure?.field === name ? 'true' : undefined };
}

/** A labelled input; the failure's message shows next to it when it names this field. */
export function Field(props: {
  name: string;
  label: string;
  failure?: Failure | undefined;
  value?: string | number | undefined;
  type?: string;
  required?: boolean;
  hint?: string;
  placeholder?: string;
  min?: number;
  max?: number;
  multiline?: boolean;
}) {
  const value = props.failure ? typed(props.failure, props.name) : props.value === undefined ? '' : String(props.value);
  const aria = described(props.name, props.hint, props.failure);
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      {props.multiline ? (
        <textarea id={props.name} name={props.name} rows={6} required={props.required} {...aria}>
          {value}
        </textarea>
      ) : (
        <input
          id={props.name}
          name={props.name}
          type={props.type ?? 'text'}
          value={props.type === 'password' ? undefined : value}
          required={props.required}
          placeholder={props.placeholder}
          min={props.min}
          max={props.max}
          {...aria}
        />
      )}
      <FieldMessages name={props.name} hint={props.hint} failure={props.failure} />
    </div>
  );
}

/** A labelled select over options; `multiple` for a list (security groups). */
export function Select(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  failure?: Failure | undefined;
  value?: string | string[] | undefined;
  required?: boolean;
  multiple?: boolean;
  hint?: string;
  /** A first option meaning "none" (its label). */
  none?: string;
}) {
  const raw = props.failure ? props.failure.values[props.name] : props.value;
  const chosen = new Set(Array.isArray(raw) ? raw : raw ? [raw] : []);
  return (
    <div>
      <label for={props.name}>{props.label}</label>
      <select
        id={props.name}
        name={props.name}
        required={props.required}
        multiple={props.multiple}
        {...described(props.name, props.hint, props.failure)}
      >
        {props.none !== undefined && <option value="">{props.none}</option>}
        {props.options.map((o) => (
          <option value={o.value} selected={chosen.has(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages name={props.name} hint={props.hint} failure={props.failure} />
    </div>
  );
}

/** A labelled checkbox. */
export function Check(props: {
  name: string;
  label: string;
  checked?: boolean;
  failure?: Failure | undefined;
  value?: string;
  hint?: string;
}) {
  const checked = props.failure ? props.failure.values[props.name] !== undefined : Boolean(props.checked);
  return (
    <div>
      <input
        type="checkbox"
        id={props.name}
        name={props.name}
        value={props.value ?? 'on'}
        checked={checked}
        {...described(props.name, props.hint, props.failure)}
      />{' '}
      <label for={props.name}>{props.label}</label>
      <FieldMessages name={props.name} hint={props.hint} failure={props.failure} />
    </div>
  );
}

/** A table with its caption and column headings; the rows are its children (a `<tbody>` or a `<Live as="tbody">`). */
export function Table(props: { caption: string; head: string[]; children: Child }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.head.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      {props.children}
    </table>
  );
}

/** The one row of an empty table, saying so. */
export function Empty({ cols, children }: { cols: number; children: Child }) {
  return (
    <tr>
      <td colspan={cols}>{children}</td>
    </tr>
  );
}

/** Statuses of something in progress (a live region keeps polling while one shows). */
const BUSY =
  /^(CREATING|UNKNOWN|DELETING|BUILD|REBUILD|REBOOT|HARD_REBOOT|RESIZE|VERIFY_RESIZE|MIGRATING|PASSWORD|PENDING|PENDING_\w+|creating|deleting|extending|attaching|detaching|downloading|uploading|saving|queued|importing|backing-up|restoring(-backup)?|restoring|retyping|reserved|pending_\w+|RUNNING_JOB)$/;
const BAD = /^(ERROR|error(_\w+)?|FAILED|failed|killed|DOWN)$/;
const OFF = /^(SHUTOFF|STOPPED|PAUSED|SUSPENDED|SHELVED(_OFFLOADED)?|deactivated|INACTIVE|disabled|available|UNBOUND)$/;

/** A status as a tag: green when settled, amber (and `data-busy`, which a live region follows) while in progress. */
export function Status({ value }: { value: string }) {
  const kind = BUSY.test(value) ? 'busy' : BAD.test(value) ? 'bad' : OFF.test(value) ? 'off' : 'ok';
  return (
    <span class={`status ${kind}`} data-busy={kind === 'busy' ? '' : undefined} data-status={value}>
      {value}
    </span>
  );
}

/**
 * A region of the page that follows the server: the page's script re-fetches `src` (an HTML fragment of the same
 * content, from a GET route with the page's guard) every 2 s while it shows something in progress, else every 15 s.
 */
export function Live(props: { src: string; as?: 'tbody' | 'div' | 'section'; children: Child; label?: string }) {
  const Tag = props.as ?? 'tbody';
  return (
    <Tag data-live={props.src} aria-label={props.label}>
      {props.children}
    </Tag>
  );
}

/** A row of small actions. */
export function Actions({ children }: { children: Child }) {
  return <div class="actions">{children}</div>;
}

/** One action as a button that posts a form (with CSRF token and any hidden fields). */
export function ActionButton(props: {
  c: AppContext;
  action: string;
  label: string;
  danger?: boolean;
  fields?: Record<string, string>;
  title?: string;
}) {
  return (
    <form method="post" action={props.action}>
      <CsrfField c={props.c} />
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} />
      ))}
      <button type="submit" class={props.danger ? 'danger' : 'quiet'} aria-label={props.title}>
        {props.label}
      </button>
    </form>
  );
}

/** A refusal that belongs to no form of the page (a row's action, a delete not allowed yet), at the page's top. */
export function Refusal({ failure, shown }: { failure?: Failure | undefined; shown?: unknown }) {
  if (!failure || shown) return null;
  return (
    <p role="alert" class="banner">
      {failure.message}
    </p>
  );
}

/** A section's own tabs (a VPC's pages, a bucket's), the current one marked for assistive technology. */
export function Tabs<K extends string>(props: { label: string; current: K; tabs: readonly { key: K; href: string; label: string }[] }) {
  return (
    <nav aria-label={props.label}>
      <ul class="tabs">
        {props.tabs.map((t) => (
          <li>
            <a href={t.href} aria-current={t.key === props.current ? 'page' : undefined}>
              {t.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * A row's button (a POST without fields): runs the use case, then redirects to the page it names with its
 * message; a refusal (a delete that is not allowed yet) re-renders `refused` with it, at its status.
 */
export function button(
  run: (c: AppContext) => Promise<readonly [to: string, message: string]>,
  refused: (c: AppContext, failure: Failure) => Response | Promise<Response>,
) {
  return form(z.object({}), async (c) => done(c, ...(await run(c))), refused);
}
