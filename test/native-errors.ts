/** Helpers for the tests of the Flexible Engine native APIs (VPC v1, ECS v1): their error envelope. */
import { expect } from 'vitest';

/** Asserts the native error envelope: status, exactly error_code/error_msg/request_id, and the code and message if given. */
export function expectNativeError(res: { status: number; body: any; headers: Headers }, status: number, code?: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error_code', 'error_msg', 'request_id']);
  expect(res.body.error_msg.length).toBeGreaterThan(0);
  expect(res.body.request_id).toBe(res.headers.get('X-Request-Id'));
  if (code) expect(res.body.error_code).toBe(code);
  if (message) expect(res.body.error_msg).toMatch(message);
}
