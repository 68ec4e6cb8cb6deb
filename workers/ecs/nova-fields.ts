/**
 * Nova's string formats for addresses and the disk config, shared by create, update, rebuild and resize: Nova
 * checks them in its JSON schema, so a bad value is a 400 before anything is stored or queued.
 */
import { z } from 'zod';

/** Nova echoes the value it refuses; a huge one is cut so that the refusal stays small. */
const ECHO = 255;
const echo = (v: unknown) => {
  const text = String(v);
  return text.length > ECHO ? `${text.slice(0, ECHO)}...` : text;
};

const isIpv4 = (v: string) => z.ipv4().safeParse(v).success;
const isIpv6 = (v: string) => z.ipv6().safeParse(v).success;

/** A string in one of Nova's formats, refused in Nova's words (`'x' is not a 'ipv4'`). */
function format(field: string, name: string, accept: (v: string) => boolean) {
  return z.string().refine(accept, {
    error: (issue) => `Invalid input for field/attribute ${field}. Value: ${echo(issue.input)}. '${echo(issue.input)}' is not a '${name}'`,
    params: { verbatim: true },
  });
}

/** `accessIPv4`: an IPv4 address. */
export const accessIPv4 = format('accessIPv4', 'ipv4', isIpv4);
/** `accessIPv6`: an IPv6 address. */
export const accessIPv6 = format('accessIPv6', 'ipv6', isIpv6);
/** `networks[].fixed_ip`: an IPv4 or IPv6 address (Nova's `ip-address` format). */
export const fixedIp = format('fixed_ip', 'ip-address', (v) => isIpv4(v) || isIpv6(v));
/** `OS-DCF:diskConfig`. */
export const diskConfig = z.enum(['AUTO', 'MANUAL']);

/** The access addresses and disk config of a body, in the TenantDO's names (absent ones stay absent). */
export function accessFields(body: { accessIPv4?: string; accessIPv6?: string; 'OS-DCF:diskConfig'?: 'AUTO' | 'MANUAL' }) {
  return {
    ...(body.accessIPv4 !== undefined ? { accessIpv4: body.accessIPv4 } : {}),
    ...(body.accessIPv6 !== undefined ? { accessIpv6: body.accessIPv6 } : {}),
    ...(body['OS-DCF:diskConfig'] !== undefined ? { diskConfig: body['OS-DCF:diskConfig'] } : {}),
  };
}
