import {
  DoraKeys,
  DoraLevels,
  PERFORMANCE_LEVELS,
  PerformanceLevel,
  PerformanceReference,
} from '@internal/plugin-delivery-common';

/*
 * DORA's performance levels as the Accelerate State of DevOps Report 2023 (DORA, Google Cloud;
 * chapter "How do you compare?") describes its four clusters. The report gives each cluster's
 * typical value rather than cut-offs, so the bands below read each value as the limit of its
 * level; where the report's Low row repeats Medium's deployment frequency and lead time, Low is
 * whatever falls below Medium.
 */

const HOUR = 3600;
const DAY = 24 * HOUR;

export const PERFORMANCE_REFERENCE: PerformanceReference = {
  source: 'Accelerate State of DevOps Report 2023 (DORA, Google Cloud)',
  url: 'https://dora.dev/research/2023/dora-report/',
  note:
    "The report's clusters are read as bands: each cluster's value is the limit of its level, and " +
    "what falls below Medium is Low (the report's Low row repeats Medium's deployment frequency " +
    'and lead time). A service is classified by its weakest key.',
  thresholds: [
    {
      level: 'elite',
      deploymentFrequency: 'On demand (at least once per day)',
      leadTime: 'Less than one day',
      changeFailureRate: '5% or less',
      timeToRestore: 'Less than one hour',
    },
    {
      level: 'high',
      deploymentFrequency: 'Between once per day and once per week',
      leadTime: 'Between one day and one week',
      changeFailureRate: '10% or less',
      timeToRestore: 'Less than one day',
    },
    {
      level: 'medium',
      deploymentFrequency: 'Between once per week and once per month',
      leadTime: 'Between one week and one month',
      changeFailureRate: '15% or less',
      timeToRestore: 'Between one day and one week',
    },
    {
      level: 'low',
      deploymentFrequency: 'Less than once per month',
      leadTime: 'More than one month',
      changeFailureRate: 'More than 15%',
      timeToRestore: 'More than one week',
    },
  ],
};

export function deploymentFrequencyLevel(
  perDay: number,
  deployments: number,
): PerformanceLevel | null {
  if (deployments === 0) return null;
  if (perDay >= 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

export function leadTimeLevel(
  medianSeconds: number | null,
): PerformanceLevel | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < DAY) return 'elite';
  if (medianSeconds <= 7 * DAY) return 'high';
  if (medianSeconds <= 30 * DAY) return 'medium';
  return 'low';
}

export function changeFailureRateLevel(
  rate: number | null,
): PerformanceLevel | null {
  if (rate === null) return null;
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'high';
  if (rate <= 0.15) return 'medium';
  return 'low';
}

export function timeToRestoreLevel(
  medianSeconds: number | null,
): PerformanceLevel | null {
  if (medianSeconds === null) return null;
  if (medianSeconds < HOUR) return 'elite';
  if (medianSeconds < DAY) return 'high';
  if (medianSeconds <= 7 * DAY) return 'medium';
  return 'low';
}

/** Each key's level and the weakest of them. */
export function levelsOf(keys: DoraKeys): DoraLevels {
  const levels = {
    deploymentFrequency: deploymentFrequencyLevel(
      keys.deploymentFrequency.perDay,
      keys.deploymentFrequency.deployments,
    ),
    leadTime: leadTimeLevel(keys.leadTime.medianSeconds),
    changeFailureRate: changeFailureRateLevel(keys.changeFailureRate.rate),
    timeToRestore: timeToRestoreLevel(keys.timeToRestore.medianSeconds),
  };
  const known = Object.values(levels).filter(
    (level): level is PerformanceLevel => level !== null,
  );
  const overall = known.length
    ? PERFORMANCE_LEVELS[
        Math.max(...known.map(level => PERFORMANCE_LEVELS.indexOf(level)))
      ]
    : null;
  return { ...levels, overall };
}
