/** The Console's sign-in page: account, user, password and the region to start in. */
import { REGIONS } from '../../core/regions.ts';
import type { AppContext } from '../../workers/lib/app.ts';
import { type Failure, Field, Select } from './kit.tsx';
import { ConsolePage } from './layout.tsx';

export function SignInPage({ c, next, failure }: { c: AppContext; next: string; failure?: Failure }) {
  return (
    <ConsolePage c={c} title="Sign in">
      <h1>Sign in to the Console</h1>
      <form method="post" action="/console/sign-in" class="stack" aria-label="Sign in">
        <input type="hidden" name="next" value={next} />
        {failure && (
          <p role="alert" class="banner" id="sign-in-error">
            {failure.message}
          </p>
        )}
        <Field name="account" label="Account name" required value={failure?.values.account as string | undefined} />
        <Field name="user" label="User name" required value={failure?.values.user as string | undefined} />
        <Field name="password" label="Password" type="password" required />
        <Select
          name="region"
          label="Region"
          options={REGIONS.map((r) => ({ value: r, label: r }))}
          value={(failure?.values.region as string | undefined) ?? c.env.DEFAULT_REGION}
        />
        <div>
          <button type="submit">Sign in</button>
        </div>
      </form>
    </ConsolePage>
  );
}
