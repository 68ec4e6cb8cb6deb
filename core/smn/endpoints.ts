/** Which endpoints each SMN protocol takes: a URL of its scheme, an email address, a phone number in international form. */
const FITS: Record<string, (e: string) => boolean> = {
  http: (e) => /^http:\/\/[^\s/]+/.test(e) && URL.canParse(e),
  https: (e) => /^https:\/\/[^\s/]+/.test(e) && URL.canParse(e),
  email: (e) => /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]+$/.test(e),
  sms: (e) => /^\+?\d{6,20}$/.test(e),
};

/** Whether an endpoint fits its protocol. */
export const endpointFits = (protocol: string, endpoint: string) => FITS[protocol]?.(endpoint) ?? false;
