/**
 * A simulated guest's workload: the load level (0 to 100) its server runs at over time, which a tenant sets per
 * server so that alarms, scaling and traffic billing can be tried on a cloud whose hosts are simulated. The host's
 * agent reads the guest's metrics from it (core/ces/guest-metrics.ts); nothing else depends on the level.
 *
 * Shapes: a constant level; steps (a level from each offset on); a sine between two levels; a replayed series of
 * levels at a fixed interval. Offsets count from the moment the profile was applied, so that a test or a person
 * can say "90 % from 5 minutes on" and see it happen.
 */

export type LoadShape =
  | { shape: 'constant'; level: number }
  | { shape: 'steps'; steps: { after_s: number; level: number }[] }
  | { shape: 'sine'; min: number; max: number; period_s: number; phase_s?: number }
  | { shape: 'series'; interval_s: number; levels: number[]; repeat?: boolean };

/** What the guest does at full load (level 100); at level L it does L % of each. Absent rates are 0. */
export interface LoadRates {
  /** Bytes per second the guest sends; through an elastic IP that is outbound Internet traffic (clause 1.2.3.23). */
  network_out_bytes_rate?: number;
  network_in_bytes_rate?: number;
  disk_read_bytes_rate?: number;
  disk_write_bytes_rate?: number;
  /** Memory in use at level 0, in percent (default 20); each level point adds 0.4 %, up to 100. */
  memory_base?: number;
}

export type LoadProfile = LoadShape & LoadRates;

/** A profile as the host keeps it: with the time it was applied, from which offsets count. */
export interface AppliedProfile {
  profile: LoadProfile;
  /** Epoch ms. */
  appliedAt: number;
}

/** An idle guest (no profile set): 1 % of a CPU, no traffic, no disk activity. */
export const IDLE: LoadProfile = { shape: 'constant', level: 1 };

const clamp = (level: number) => Math.min(100, Math.max(0, level));

/** The load level (0 to 100) of a guest at epoch ms `at`. */
export function levelAt(applied: AppliedProfile, at: number): number {
  const p = applied.profile;
  const offset = Math.max(0, (at - applied.appliedAt) / 1000);
  switch (p.shape) {
    case 'constant':
      return clamp(p.level);
    case 'steps': {
      // The last step whose offset has passed; before the first one, the first step's level.
      let level = p.steps[0]?.level ?? 0;
      for (const step of p.steps) if (step.after_s <= offset) level = step.level;
      return clamp(level);
    }
    case 'sine': {
      const phase = ((offset + (p.phase_s ?? 0)) / p.period_s) * 2 * Math.PI;
      return clamp(p.min + ((p.max - p.min) * (1 + Math.sin(phase))) / 2);
    }
    case 'series': {
      const index = Math.floor(offset / p.interval_s);
      if (p.levels.length === 0) return 0;
      const at = p.repeat ? index % p.levels.length : Math.min(index, p.levels.length - 1);
      return clamp(p.levels[at] ?? 0);
    }
  }
}
