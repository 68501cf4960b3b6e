import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  DELIVERY_ROUTES,
  GITHUB_TOKEN_HEADER,
} from '@internal/plugin-delivery-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { DashboardService } from '../dashboard/dashboardService';
import { EnvironmentsService } from '../environments/environmentsService';
import { ReviewEligibility } from '../environments/reviewEligibility';
import { LiveProbes } from '../events/liveProbes';
import { FindingsService } from '../findings/findingsService';
import { ApprovalsInbox } from '../approvals/approvalsInbox';
import { HomeService } from '../insights/homeService';
import { InsightsService } from '../insights/insightsService';
import { PipelineService } from '../pipeline/pipelineService';
import {
  auditQuery,
  dashboardQuery,
  doraQuery,
  overviewQuery,
  entityParams,
  environmentParams,
  findingsFilterQuery,
  findingsPageQuery,
  inboxQuery,
  liveProbeBody,
  parse,
  reviewAsked,
  reviewBody,
  rollbackAsked,
  rollbackBody,
  runParams,
  runsQuery,
  trendQuery,
  writeAttempt,
} from './requests';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  dashboard: DashboardService;
  pipeline: PipelineService;
  findings: FindingsService;
  environments: EnvironmentsService;
  eligibility: ReviewEligibility;
  probes: LiveProbes;
  insights: InsightsService;
  home: HomeService;
  inbox: ApprovalsInbox;
}

/**
 * Maps every route of @internal/plugin-delivery-common (DELIVERY_ROUTES) onto the services, and
 * nothing more. Reads accept users and services; writes only people, because the audit must name
 * who decided.
 */
export function createRouter(options: RouterOptions): express.Router {
  const { httpAuth, dashboard, pipeline, findings, environments } = options;
  const { probes, insights, home, inbox, eligibility } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const reader = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get(DELIVERY_ROUTES.dashboard, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    const query = parse(dashboardQuery, req.query);
    res.json(await dashboard.dashboard(entity, credentials, query));
  });

  router.get(DELIVERY_ROUTES.runs, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    const query = parse(runsQuery, req.query);
    res.json(await pipeline.runs(entity, credentials, query));
  });

  router.get(DELIVERY_ROUTES.run, async (req, res) => {
    const credentials = await reader(req);
    const { runId, ...entity } = parse(runParams, req.params);
    res.json(await pipeline.run(entity, credentials, runId));
  });

  router.post(DELIVERY_ROUTES.rerunFailedJobs, async (req, res) => {
    const credentials = await person(req);
    const { runId, ...entity } = parse(runParams, req.params);
    res
      .status(201)
      .json(await pipeline.rerunFailedJobs(entity, credentials, runId, req));
  });

  router.get(DELIVERY_ROUTES.findings, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    const filter = parse(findingsFilterQuery, req.query);
    const page = parse(findingsPageQuery, req.query);
    res.json(await findings.findings(entity, credentials, filter, page));
  });

  router.get(DELIVERY_ROUTES.sonarcloud, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    res.json(await findings.sonarcloud(entity, credentials));
  });

  router.get(DELIVERY_ROUTES.trend, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    const query = parse(trendQuery, req.query);
    res.json(await findings.trend(entity, credentials, query));
  });

  router.get(DELIVERY_ROUTES.environments, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    res.json(await environments.environments(entity, credentials));
  });

  router.get(DELIVERY_ROUTES.rollout, async (req, res) => {
    const credentials = await reader(req);
    const { environment, ...entity } = parse(environmentParams, req.params);
    res.json(await environments.rollout(entity, credentials, environment));
  });

  router.get(DELIVERY_ROUTES.audit, async (req, res) => {
    const credentials = await reader(req);
    const entity = parse(entityParams, req.params);
    const query = parse(auditQuery, req.query);
    res.json(await environments.audit(entity, credentials, query));
  });

  router.post(DELIVERY_ROUTES.reviewDeployment, async (req, res) => {
    const credentials = await person(req);
    const { runId, ...entity } = parse(runParams, req.params);
    const attempt = writeAttempt(reviewAsked, reviewBody, req.body);
    // The person's own GitHub token, when reviews are theirs: for this call only.
    const githubToken = req.header(GITHUB_TOKEN_HEADER) || undefined;
    res.json(
      await environments.review(
        entity,
        credentials,
        runId,
        attempt,
        req,
        githubToken,
      ),
    );
  });

  router.get(DELIVERY_ROUTES.reviewEligibility, async (req, res) => {
    const credentials = await person(req);
    const { runId, ...entity } = parse(runParams, req.params);
    // As for a review: the person's own GitHub token, for this call only.
    const githubToken = req.header(GITHUB_TOKEN_HEADER) || undefined;
    res.json(await eligibility.of(entity, credentials, runId, githubToken));
  });

  router.post(DELIVERY_ROUTES.rollback, async (req, res) => {
    const credentials = await person(req);
    const { environment, ...entity } = parse(environmentParams, req.params);
    const attempt = writeAttempt(rollbackAsked, rollbackBody, req.body);
    const result = await environments.rollback(
      entity,
      credentials,
      environment,
      attempt,
      req,
    );
    res.status(result.outcome === 'rolled-back' ? 202 : 200).json(result);
  });

  router.post(DELIVERY_ROUTES.liveProbe, async (req, res) => {
    const credentials = await person(req);
    const entity = parse(entityParams, req.params);
    const { nonce } = parse(liveProbeBody, req.body);
    res.status(202).json(await probes.probe(entity, credentials, nonce));
  });

  router.get(DELIVERY_ROUTES.insightsDora, async (req, res) => {
    const credentials = await reader(req);
    res.json(await insights.dora(parse(doraQuery, req.query), credentials));
  });

  router.get(DELIVERY_ROUTES.insightsOverview, async (req, res) => {
    const credentials = await reader(req);
    const { days } = parse(overviewQuery, req.query);
    res.json(await insights.overview(days, credentials));
  });

  router.get(DELIVERY_ROUTES.insightsHome, async (req, res) => {
    res.json(await home.home(await person(req)));
  });
  router.get(DELIVERY_ROUTES.approvals, async (req, res) => {
    const credentials = await person(req);
    res.json(await inbox.inbox(credentials, parse(inboxQuery, req.query)));
  });
  router.get(DELIVERY_ROUTES.approvalsCount, async (req, res) => {
    res.json(await inbox.count(await person(req)));
  });

  return router;
}
