/** The two-keys-per-user limit holds under concurrency: the count and the insert are one step in the directory. */
import { describe, expect, it } from 'vitest';
import { MAX_CREDENTIALS_PER_USER } from '../../workers/iam/credentials.api.ts';
import { createUser, newAccount, tokenFor } from '../fixtures.ts';
import { send } from '../request.ts';

describe('access key limit', () => {
  it('makes exactly two keys out of ten parallel creates, refusing the others as a sequential third', async () => {
    const a = await newAccount('aklim');
    const token = await tokenFor(a);
    const user = await createUser(a, token);
    const path = '/iam/v3.0/OS-CREDENTIAL/credentials';
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) => send(token, 'POST', path, { credential: { user_id: user.id, description: `k${i}` } })),
    );
    const made = replies.filter((r) => r.status === 201);
    const refused = replies.filter((r) => r.status === 409);
    expect(made).toHaveLength(MAX_CREDENTIALS_PER_USER);
    expect(refused).toHaveLength(10 - MAX_CREDENTIALS_PER_USER);
    const third = await send(token, 'POST', path, { credential: { user_id: user.id } });
    expect(third.status).toBe(409);
    for (const r of refused) expect(r.body).toEqual(third.body);
    const listed = (await send(token, 'GET', `${path}?user_id=${user.id}`)).body.credentials;
    expect(listed.map((k: { access: string }) => k.access).sort()).toEqual(made.map((r) => r.body.credential.access).sort());
  });
});
