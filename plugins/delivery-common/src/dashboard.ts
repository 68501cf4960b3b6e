/* What an entity page needs, in one call. */

import { Freshness } from './freshness';
import { FindingCounts, QualityGate, SonarMeasure } from './findings';
import {
  DeliveryRepository,
  PipelineRun,
  PipelineRunSummary,
} from './pipeline';

export interface SonarCloudSummary {
  projectKey: string;
  dashboardUrl: string;
  qualityGate: QualityGate;
  measures: SonarMeasure[];
}

export interface DashboardResponse {
  entityRef: string;
  repository: DeliveryRepository;
  /** The newest run on the default branch, with its gate chain; null if there is none. */
  latestRun: PipelineRun | null;
  /** The newest runs on any branch, without gates (the Pipeline tab fetches those). */
  recentRuns: PipelineRunSummary[];
  /** Open findings per tool × severity (code scanning and SonarCloud). */
  findingCounts: FindingCounts;
  sonarcloud: SonarCloudSummary | null;
  canRerun: boolean;
  freshness: Freshness;
}
