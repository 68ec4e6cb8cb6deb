/**
 * What the VPC section's forms share: the fields the native API checks the same way, and which field a use case's
 * refusal is about. The TenantDO words its refusals for the APIs and names no form field; a page knows its own
 * fields, so it places the message next to the one the words are about.
 */
import { description, name } from '../../../workers/vpc/native/fields.ts';
import { type Failure, f } from '../kit.tsx';

/** A name as the native API checks it, required. */
export const nameField = (what: string) => f.text(`a name for the ${what}`).pipe(name.min(1));

/** A description as the native API checks it, optional. */
export const descriptionField = () => f.optional().pipe(description.optional());

/** A field and the words that point at it, in the order they are tried. */
export type FieldWords = readonly (readonly [field: string, words: RegExp])[];

/** The failure with its field filled in from the words of its message, when it names none yet. */
export function placed(failure: Failure, words: FieldWords): Failure {
  if (failure.field) return failure;
  return { ...failure, field: words.find(([, w]) => w.test(failure.message))?.[0] };
}
