/**
 * The calculator's known basket, shared by the workerd test and the browser test: 2 x s3.small.1 for 730 h
 * (0.0265/h), 1 x reserved 1 year, 3 x 100 GB SSD (0.16/GB-month), 1 EIP with 5 Mbit/s for 730 h (0.0045/h and
 * 0.0125/Mbit/s-h), 500 GB OBS (0.0205), the Standard plan (100).
 */
export const KNOWN_BASKET: Record<string, string> = {
  region: 'eu-west-0',
  server0_flavor: 's3.small.1',
  server0_count: '2',
  server0_hours: '730',
  server0_term: 'on_demand',
  server1_flavor: 's3.small.1',
  server1_count: '1',
  server1_term: 'reserved_1y',
  volume0_type: 'SSD',
  volume0_size: '100',
  volume0_count: '3',
  eip_count: '1',
  eip_bandwidth: '5',
  eip_hours: '730',
  obs_gb: '500',
  support: 'standard',
};

/** Its lines, each rounded half up: 38.69 (2 x 730 x 0.0265), 11.99, 48.00, 3.285 -> 3.29, 45.625 -> 45.63, 10.25, 100.00. */
export const KNOWN_LINES = ['38.69', '11.99', '48.00', '3.29', '45.63', '10.25', '100.00'];
export const KNOWN_TOTAL = '257.85';
