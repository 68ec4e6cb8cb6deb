/**
 * Roles and custom policies: the system roles (what each allows is fixed), and the account's custom policies,
 * each a policy document of Allow and Deny statements over actions (`ecs:servers:*`), created, listed and
 * deleted here and granted to groups and users on their pages.
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import type { Role } from '../../../schema/global.ts';
import { act } from '../../../workers/auth/middleware.ts';
import { policyDocument } from '../../../workers/iam/policy-document.ts';
import { createPolicy, deletePolicy, getPolicy, grantableRoles, listPolicies } from '../../../workers/iam/usecases/policies.ts';
import type { AppContext, AppEnv } from '../../../workers/lib/app.ts';
import { identityOf } from '../../../workers/lib/caller.ts';
import { ActionButton, done, Empty, type Failure, Field, Form, f, form, Select, Table } from '../../console/kit.tsx';
import { type IamShell, iamPage } from './shell.tsx';

const EXAMPLE = JSON.stringify(
  { Version: '1.1', Statement: [{ Effect: 'Allow', Action: ['ecs:servers:get', 'ecs:servers:list'] }] },
  null,
  2,
);

/** A policy document typed as JSON: parsed, then checked with the API's own schema. */
const documentField = z.string().transform((text, ctx) => {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'The policy document is not valid JSON.' });
    return z.NEVER;
  }
  const parsed = policyDocument.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    ctx.addIssue({ code: 'custom', message: `The policy document is not valid: ${issue?.path.join('.') || 'it'}: ${issue?.message}.` });
    return z.NEVER;
  }
  return parsed.data;
});

const newPolicy = z.object({
  name: f.text('the policy name').pipe(z.string().max(128, 'The name is at most 128 characters.')),
  type: z.enum(['XA', 'AX'], { error: 'Choose where the policy applies.' }),
  description: z.string().trim().max(1000, 'The description is at most 1000 characters.').default(''),
  document: documentField,
});

function PolicyRows({ c, shell, policies }: { c: AppContext; shell: IamShell; policies: Role[] }) {
  return (
    <tbody>
      {policies.length === 0 && <Empty cols={4}>No custom policies.</Empty>}
      {policies.map((p) => (
        <tr>
          <th scope="row">{p.name}</th>
          <td>{p.policyType === 'AX' ? 'Account services' : 'Project services'}</td>
          <td>
            <pre class="log">{JSON.stringify(JSON.parse(p.policy ?? '{}'), null, 1)}</pre>
          </td>
          <td>
            <ActionButton c={c} action={`${shell.base}/policies/${p.id}/delete`} label="Delete" danger title={`Delete ${p.name}`} />
          </td>
        </tr>
      ))}
    </tbody>
  );
}

async function show(c: AppContext, shell: IamShell, failure?: Failure) {
  const caller = identityOf(c);
  const policies = await listPolicies(caller);
  const system = (await grantableRoles(caller)).filter((r) => r.domainId === '');
  return iamPage(
    c,
    shell,
    '/policies',
    'Roles and policies',
    <>
      <Table caption="Custom policies of the account" head={['Name', 'Applies to', 'Document', 'Actions']}>
        <PolicyRows c={c} shell={shell} policies={policies} />
      </Table>
      <h2>Create a custom policy</h2>
      <Form c={c} action={`${shell.base}/policies`} submit="Create policy" failure={failure}>
        <Field name="name" label="Policy name" required failure={failure} />
        <Select
          name="type"
          label="Applies to"
          failure={failure}
          value="XA"
          options={[
            { value: 'XA', label: 'Project services (ECS, VPC, EVS, ...)' },
            { value: 'AX', label: 'Account services (IAM, OBS)' },
          ]}
        />
        <Field name="description" label="Description" failure={failure} />
        <Field
          name="document"
          label="Policy document (JSON)"
          multiline
          required
          failure={failure}
          value={EXAMPLE}
          hint='Statements of "Effect": "Allow" or "Deny" over actions service:resource:verb, with * as a wildcard; a Deny wins.'
        />
      </Form>
      <Table caption="System roles" head={['Role', 'What it allows']}>
        <tbody>
          {system.map((r) => (
            <tr>
              <th scope="row">{r.name}</th>
              <td>{r.description}</td>
            </tr>
          ))}
        </tbody>
      </Table>
    </>,
  );
}

/** Registers the roles and policies page and its forms. */
export function policyRoutes(r: Hono<AppEnv>, shell: IamShell): void {
  const list = `${shell.base}/policies`;
  r.get('/policies', act('iam:policies:list'), (c) => show(c, shell));
  r.post(
    '/policies',
    act('iam:policies:create'),
    form(
      newPolicy,
      async (c, p) => {
        const row = await createPolicy(identityOf(c), {
          displayName: p.name,
          type: p.type,
          description: p.description,
          policy: p.document,
        });
        return done(c, list, `The policy ${row.name} is created. Grant it to a group or a user on their page.`);
      },
      (c, failure) => show(c, shell, failure.field ? failure : { ...failure, field: 'name' }),
    ),
  );
  r.post('/policies/:policy_id/delete', act('iam:policies:delete'), async (c) => {
    const policy = await getPolicy(identityOf(c), c.req.param('policy_id'));
    await deletePolicy(identityOf(c), policy.id);
    return done(c, list, `The policy ${policy.name} is deleted; its holders' sessions have ended.`);
  });
}
