/**
 * Flexible Engine names a host per service and region (`ecs.eu-west-0.{domain}`); a request to such a host is
 * served as the service's prefix on the one origin (`/ecs/...`), so clients that build those names work too.
 */
import { REGIONS } from '../core/regions.ts';
import { SERVICE_HOSTS } from './services.ts';

/** The request, with its path under the service prefix when it came to a service host. */
export function routeServiceHost(request: Request): Request {
  const url = new URL(request.url);
  const [service, region] = url.hostname.split('.');
  if (!service || !region || !SERVICE_HOSTS.has(service) || !(REGIONS.includes(region) || service === 'iam')) return request;
  if (url.pathname === `/${service}` || url.pathname.startsWith(`/${service}/`)) return request;
  url.pathname = `/${service}${url.pathname}`;
  return new Request(url, request);
}
