/** Billing (BSS, as Huawei Cloud names it): the price list over time, the usage ledger, and later invoices. */
import { defineService } from '../service.ts';
import { bssActions } from './bss.policy.ts';

export const bssService = defineService({
  name: 'bss',
  title: 'Billing',
  catalog: [{ type: 'bssv2', name: 'bss', path: '/bss/v2', global: true }],
  policy: { bss: bssActions },
  serviceHost: true,
});
