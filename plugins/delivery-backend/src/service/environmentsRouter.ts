import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ENVIRONMENT_ROUTES } from '@internal/plugin-delivery-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { EnvironmentsService } from '../environmentsService';

export interface EnvironmentsRouterOptions {
  httpAuth: HttpAuthService;
  environments: EnvironmentsService;
}

function entityRefOf(req: Request): CompoundEntityRef {
  const { kind, namespace, name } = req.params;
  return { kind, namespace, name };
}

function runIdOf(req: Request): number {
  const runId = Number(req.params.runId);
  if (!Number.isSafeInteger(runId) || runId <= 0) {
    throw Object.assign(
      new InputError(`"${req.params.runId}" is not a workflow run id`),
      {
        details: { reason: 'invalid-request' },
      },
    );
  }
  return runId;
}

/**
 * Maps the environments routes of @internal/plugin-delivery-common (ENVIRONMENT_ROUTES) onto the
 * environments service. Reads accept users and services; approvals and rollbacks only people,
 * because the audit trail must name who decided.
 */
export async function createEnvironmentsRouter(
  options: EnvironmentsRouterOptions,
): Promise<express.Router> {
  const { httpAuth, environments } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  const reader = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });
  const person = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get(ENVIRONMENT_ROUTES.environments, async (req, res) => {
    res.json(
      await environments.environments(entityRefOf(req), await reader(req)),
    );
  });

  router.get(ENVIRONMENT_ROUTES.rollout, async (req, res) => {
    res.json(
      await environments.rollout(
        entityRefOf(req),
        await reader(req),
        req.params.environment,
      ),
    );
  });

  router.get(ENVIRONMENT_ROUTES.audit, async (req, res) => {
    res.json(
      await environments.audit(
        entityRefOf(req),
        await reader(req),
        req.query as Record<string, unknown>,
      ),
    );
  });

  router.post(ENVIRONMENT_ROUTES.reviewDeployment, async (req, res) => {
    const credentials = await person(req);
    res.json(
      await environments.review(
        entityRefOf(req),
        credentials,
        runIdOf(req),
        req.body,
        req,
      ),
    );
  });

  router.post(ENVIRONMENT_ROUTES.rollback, async (req, res) => {
    const credentials = await person(req);
    const result = await environments.rollback(
      entityRefOf(req),
      credentials,
      req.params.environment,
      req.body,
      req,
    );
    res.status(result.outcome === 'rolled-back' ? 202 : 200).json(result);
  });

  return router;
}
