/**
 * Heat's refusals as values the template layer throws: a type (Heat's exception class name, which picks the HTTP
 * status) and a message worded as Heat words it, with the path to the offending part of the template.
 */

/** An error of the template layer or the engine, named by Heat's exception class. */
export class HeatError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP status Heat's fault middleware gives an exception class. */
export function heatStatus(type: string): number {
  if (['EntityNotFound', 'NotFound', 'ResourceNotAvailable', 'ResourceTypeNotFound', 'StackNotFound'].includes(type)) return 404;
  if (['StackExists', 'ActionInProgress', 'Conflict'].includes(type)) return 409;
  if (type === 'Forbidden') return 403;
  if (type === 'InternalError') return 500;
  return 400;
}

/** A path into a template as Heat prints it: `resources.server.properties.networks[0].port`. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const item of path) {
    if (typeof item === 'number' || /^\d+$/.test(item)) out += `[${item}]`;
    else out += out ? `.${item}` : item;
  }
  return out;
}

/** Heat's StackValidationFailed: `<error>: <path>: <message>`, each part only when present. */
export function validationFailed(path: readonly (string | number)[], message: string, error = ''): HeatError {
  const where = path.length ? `${pathText(path)}: ` : '';
  return new HeatError('StackValidationFailed', `${error ? `${error}: ` : ''}${where}${message}`);
}

/** Heat's InvalidTemplateVersion. */
export const invalidVersion = (explanation: string) =>
  new HeatError('InvalidTemplateVersion', `The template version is invalid: ${explanation}`);

/** Heat's InvalidTemplateReference: a get_resource or get_attr naming no resource of the template. */
export const invalidReference = (resource: string, key: string) =>
  new HeatError('InvalidTemplateReference', `The specified reference "${resource}" (in ${key}) is incorrect.`);

/** Heat's UserParameterMissing. */
export const parameterMissing = (key: string) => new HeatError('UserParameterMissing', `The Parameter (${key}) was not provided.`);
