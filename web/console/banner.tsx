/**
 * The refusal a page shows at its top when it was re-rendered for a form that names no field of its own (a row's
 * action, a button): the ECS and storage sections' pages share it. A candidate for the kit.
 */
import type { Failure } from './kit.tsx';

/** The failure's message as an alert at the top of a page; nothing without one (or when `shown` elsewhere). */
export function Refusal({ failure, shown }: { failure?: Failure | undefined; shown?: unknown }) {
  if (!failure || shown) return null;
  return (
    <p role="alert" class="banner">
      {failure.message}
    </p>
  );
}
