/** The regions this cloud serves, from the catalogue seed (`eu-west-0`, `eu-west-1`). */
import regions from '../seed/regions.json';

export const REGIONS = regions.map((r) => r.id);

/** The availability zones of a region (none for an unknown one). */
export const zonesOf = (region: string): string[] => regions.find((r) => r.id === region)?.zones ?? [];
