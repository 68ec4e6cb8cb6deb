/** RTS's refusals: a router whose errors are Heat faults, and the template layer's HeatErrors as API errors. */
import { HeatError, heatStatus } from '../../core/rts/errors.ts';
import { family, renderError, router } from '../lib/app.ts';
import { ApiError } from '../lib/errors.ts';

/** A template layer's refusal as the API error Heat answers (its class name as the fault's type). */
export function apiErrorOf(e: HeatError): ApiError {
  return new ApiError(heatStatus(e.type), e.message, e.type);
}

/** Runs template-layer work, turning its refusals into Heat faults. */
export function heatCheck<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof HeatError) throw apiErrorOf(e);
    throw e;
  }
}

/** A router for RTS's routes. */
export function heatRouter() {
  const r = router();
  r.use(family('heat'));
  r.onError((err, c) => renderError(err instanceof HeatError ? apiErrorOf(err) : err, c));
  return r;
}
