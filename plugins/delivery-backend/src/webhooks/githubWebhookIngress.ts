import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestValidator } from '@backstage/plugin-events-node';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { DeliveryLedger } from './deliveryLedger';
import { SIGNATURE_HEADER, signedByOneOf } from './signature';
import {
  WebhookRefusalReason,
  WebhookRefusals,
  header,
  postedWebhook,
} from './webhookRefusals';
import { WebhookSettings } from './webhookSettings';

/** The events backend's ingress path for the `github` topic, inside its router. */
export const GITHUB_INGRESS_PATH = '/http/github';

const DELIVERY_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * The checks in front of `POST /api/events/http/github`. The signature is required: nothing
 * unsigned, signed with another secret, replayed or oversized is published. Two stages, because
 * the events backend parses the body before its validator runs:
 *
 * - `guard`, an express router mounted ahead of the events backend's own: refuses other media
 *   types and oversized bodies unread, reads the body (the events backend then reuses it) and
 *   refuses it unless signed, so unsigned garbage is never parsed;
 * - `validator`, the ingress validator: checks the signature again (the last step before
 *   publishing must not trust an earlier one), requires the delivery and event headers, and
 *   records the delivery id in the database all replicas share, refusing it if already there.
 */
export class GitHubWebhookIngress {
  constructor(
    private readonly options: {
      settings: WebhookSettings;
      ledger: DeliveryLedger;
      refusals: WebhookRefusals;
      logger: LoggerService;
    },
  ) {}

  guard(): express.Router {
    const { settings } = this.options;
    const router = Router();
    const refuse = async (
      req: Request,
      res: Response,
      reason: WebhookRefusalReason,
      message: string,
    ) => {
      const refusal = await this.options.refusals.refuse(
        reason,
        message,
        postedWebhook(
          req.headers,
          Buffer.isBuffer(req.body) ? req.body.length : undefined,
        ),
        req,
      );
      res.status(refusal.status).json(refusal.body);
    };
    router.post(
      GITHUB_INGRESS_PATH,
      async (req: Request, res: Response, next: NextFunction) => {
        if (mediaType(req) !== 'application/json') {
          await refuse(
            req,
            res,
            'unsupported-media-type',
            `GitHub webhooks must be posted as application/json, not ${
              req.headers['content-type'] ?? 'no content type'
            }`,
          );
          return;
        }
        next();
      },
      express.raw({ type: () => true, limit: settings.maxPayloadBytes }),
      async (req: Request, res: Response, next: NextFunction) => {
        const reason = this.signatureProblem(req.headers, req.body as Buffer);
        if (reason) {
          await refuse(req, res, reason.reason, reason.message);
          return;
        }
        next();
      },
    );
    router.use(
      GITHUB_INGRESS_PATH,
      async (
        error: unknown,
        req: Request,
        res: Response,
        next: NextFunction,
      ) => {
        if ((error as { type?: string }).type === 'entity.too.large') {
          await refuse(
            req,
            res,
            'payload-too-large',
            `The body exceeds ${settings.maxPayloadBytes} bytes (delivery.webhooks.maxPayloadKilobytes)`,
          );
          return;
        }
        next(error);
      },
    );
    return router;
  }

  validator(): RequestValidator {
    return async (request, context) => {
      const refuse = async (reason: WebhookRefusalReason, message: string) => {
        const refusal = await this.options.refusals.refuse(
          reason,
          message,
          postedWebhook(request.headers, request.raw.body.length),
        );
        context.reject({ status: refusal.status, payload: refusal.body });
      };
      const signature = this.signatureProblem(
        request.headers,
        request.raw.body,
      );
      if (signature) {
        await refuse(signature.reason, signature.message);
        return;
      }
      const delivery = header(request.headers, 'x-github-delivery');
      if (!delivery || !DELIVERY_ID.test(delivery)) {
        await refuse(
          'delivery-id-missing',
          'X-GitHub-Delivery is missing or malformed: a replay could not be told apart',
        );
        return;
      }
      const event = header(request.headers, 'x-github-event');
      if (!event) {
        await refuse('event-missing', 'X-GitHub-Event is missing');
        return;
      }
      if (!(await this.options.ledger.recordFirst(delivery, event))) {
        await refuse(
          'replayed-delivery',
          `Delivery ${delivery} (${event}) was accepted before; a replay is not processed again`,
        );
        return;
      }
      this.options.logger.debug(
        `Accepted GitHub webhook ${event} (delivery ${delivery})`,
      );
    };
  }

  private signatureProblem(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): { reason: WebhookRefusalReason; message: string } | undefined {
    const signature = header(headers, SIGNATURE_HEADER);
    if (!signature) {
      return {
        reason: 'signature-missing',
        message:
          'X-Hub-Signature-256 is missing: the portal accepts only signed GitHub webhooks (configure the hook with the secret)',
      };
    }
    if (!signedByOneOf(this.options.settings.secrets, body, signature)) {
      return {
        reason: 'signature-mismatch',
        message:
          'X-Hub-Signature-256 does not match the body under any configured webhook secret',
      };
    }
    return undefined;
  }
}

/** `application/json` of `application/json; charset=utf-8`. */
function mediaType(req: Request): string | undefined {
  return req.headers['content-type']?.split(';')[0].trim().toLowerCase();
}
