/**
 * A body refused as too large (413) ends its connection in words (issue 17): the answer says `Connection: close`,
 * since the unread body would otherwise be read as the client's next request on a kept-alive connection.
 */
import { describe, expect, it } from 'vitest';
import { newAccount, tokenFor } from '../fixtures.ts';
import { call } from '../request.ts';

describe('413 and the connection', () => {
  it('answers Connection: close with the 413, and not with other refusals', async () => {
    const a = await newAccount('big');
    const token = await tokenFor(a);
    const big = await call('/iam/v3/users', {
      method: 'POST',
      token,
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(2 * 1024 * 1024) },
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('connection')).toBe('close');
    const bad = await call('/iam/v3/users', { method: 'POST', token, json: {} });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('connection')).toBeNull();
  });
});
