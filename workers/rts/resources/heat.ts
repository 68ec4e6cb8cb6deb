/** Heat's own resource types, which make nothing in another service: RandomString (a value drawn once, kept). */
import type { Plugin } from './plugin.ts';

const CLASSES: Record<string, string> = {
  lettersdigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  lowercase: 'abcdefghijklmnopqrstuvwxyz',
  uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdef',
  octdigits: '01234567',
};

/** A random string of the length, from the character classes (`lettersdigits` by default), unbiased. */
export function randomString(length: number, classes: string[]): string {
  const alphabet = [...new Set(classes.map((c) => CLASSES[c] ?? '').join(''))].join('') || CLASSES.lettersdigits!;
  const out: string[] = [];
  const limit = 256 - (256 % alphabet.length);
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < limit && out.length < length) out.push(alphabet[b % alphabet.length]!);
    }
  }
  return out.join('');
}

const random: Plugin = {
  actions: { create: 'rts:stacks:create', delete: 'rts:stacks:delete' },
  async create(_caller, p, job) {
    const classes = ((p.character_classes ?? []) as { class?: string }[]).map((c) => c.class ?? 'lettersdigits');
    return {
      id: job.physicalName,
      attributes: { value: randomString(Number(p.length ?? 32), classes.length ? classes : ['lettersdigits']) },
    };
  },
  async delete() {},
};

export const HEAT_PLUGINS: Record<string, Plugin> = { 'OS::Heat::RandomString': random };
