import { HttpAuthService } from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { DELIVERY_ROUTES } from '@internal/plugin-delivery-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { DeliveryService } from '../deliveryService';
import { parseFindingsFilter } from '../findingCounts';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  delivery: DeliveryService;
}

function entityRefOf(req: Request): CompoundEntityRef {
  const { kind, namespace, name } = req.params;
  return { kind, namespace, name };
}

function optionalInteger(req: Request, name: string): number | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) {
    throw new InputError(`${name} must be a whole number ≥ 0, not "${value}"`);
  }
  return number;
}

function runIdOf(req: Request): number {
  const runId = Number(req.params.runId);
  if (!Number.isSafeInteger(runId) || runId <= 0) {
    throw new InputError(`"${req.params.runId}" is not a workflow run id`);
  }
  return runId;
}

/** Maps the REST contract in @internal/plugin-delivery-common onto the delivery service. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, delivery } = options;
  const router = Router();
  router.use(express.json());

  const user = (req: Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get(DELIVERY_ROUTES.dashboard, async (req, res) => {
    res.json(
      await delivery.dashboard(entityRefOf(req), await user(req), {
        runs: optionalInteger(req, 'runs'),
      }),
    );
  });

  router.get(DELIVERY_ROUTES.runs, async (req, res) => {
    const branch =
      typeof req.query.branch === 'string' ? req.query.branch : undefined;
    res.json(
      await delivery.runs(entityRefOf(req), await user(req), {
        branch: branch || undefined,
        limit: optionalInteger(req, 'limit'),
      }),
    );
  });

  router.get(DELIVERY_ROUTES.run, async (req, res) => {
    res.json(
      await delivery.run(entityRefOf(req), await user(req), runIdOf(req)),
    );
  });

  router.post(DELIVERY_ROUTES.rerunFailedJobs, async (req, res) => {
    // Only people re-run pipelines: a service token has no one to hold accountable.
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res
      .status(201)
      .json(
        await delivery.rerunFailedJobs(
          entityRefOf(req),
          credentials,
          runIdOf(req),
          req,
        ),
      );
  });

  router.get(DELIVERY_ROUTES.findings, async (req, res) => {
    res.json(
      await delivery.findings(
        entityRefOf(req),
        await user(req),
        parseFindingsFilter(req.query),
        {
          offset: optionalInteger(req, 'offset'),
          limit: optionalInteger(req, 'limit'),
        },
      ),
    );
  });

  router.get(DELIVERY_ROUTES.sonarcloud, async (req, res) => {
    res.json(await delivery.sonarcloud(entityRefOf(req), await user(req)));
  });

  router.get(DELIVERY_ROUTES.trend, async (req, res) => {
    res.json(
      await delivery.trend(entityRefOf(req), await user(req), {
        runs: optionalInteger(req, 'runs'),
      }),
    );
  });

  return router;
}
