import { appsOf } from '../world/appSeed';
import {
  DeploymentProtectionRuleRecord,
  DeploymentRecord,
  EnvironmentRecord,
  JobRecord,
  RunRecord,
  WorldState,
} from '../world/records';
import { iso } from '../world/timestamps';
import { GitHubError } from './errors';
import { nodeId } from './representations/renderContext';
import {
  PayloadContext,
  deploymentProtectionRuleEvent,
  repositoryContext,
} from './webhooks/webhookPayloads';
import { WebhookSender } from './webhooks/webhookSender';

/*
 * Custom deployment protection rules, as GitHub runs them: a job bound for an environment that
 * enabled a GitHub App's rule waits while GitHub asks the App (a deployment_protection_rule
 * webhook to the App's URL, signed with its secret), until the App answers through the
 * deployment_callback_url with its installation token. Every rule must approve; one rejection
 * fails the job.
 */

const CALLBACK_DOCS =
  'https://docs.github.com/rest/actions/workflow-runs#review-custom-deployment-protection-rules-for-a-workflow-run';

/** How the rules of one environment ended for a job. */
export interface RulesDecision {
  decision: 'approved' | 'rejected';
  /** The App bot that decided (the one that rejected, or the last to approve). */
  by: string;
}

export class DeploymentProtectionRules {
  /** What each requested check's waiting job is told, by check id. */
  private readonly waiters = new Map<number, () => void>();

  constructor(
    private readonly options: {
      state: () => WorldState;
      sender: WebhookSender;
      payloadContext: () => PayloadContext;
    },
  ) {}

  /** The enabled custom rules of `environment`. */
  private enabledRules(
    environment: EnvironmentRecord,
  ): DeploymentProtectionRuleRecord[] {
    return appsOf(this.options.state()).protectionRules.filter(
      rule => rule.environmentId === environment.id && rule.enabled,
    );
  }

  /**
   * Asks every App gating `environment` about `job`'s deployment; resolves once all approved or
   * one rejected, undefined when no custom rule gates the environment.
   */
  request(
    run: RunRecord,
    job: JobRecord,
    environment: EnvironmentRecord,
    deployment: DeploymentRecord,
    signal: AbortSignal,
  ): Promise<RulesDecision> | undefined {
    const rules = this.enabledRules(environment);
    if (rules.length === 0) return undefined;
    const apps = appsOf(this.options.state());
    const checks = rules.map(rule => {
      apps.sequences.ruleCheck += 1;
      const check = {
        id: apps.sequences.ruleCheck,
        runId: run.id,
        jobId: job.id,
        environmentId: environment.id,
        environmentName: environment.name,
        ruleId: rule.id,
        appId: rule.appId,
        state: 'requested' as const,
        comment: null,
        requestedAt: iso(Date.now()),
        decidedAt: null,
      };
      apps.ruleChecks.push(check);
      return check;
    });
    const decided = new Promise<RulesDecision>((resolve, reject) => {
      const settle = () => {
        const current = checks.map(
          check => apps.ruleChecks.find(c => c.id === check.id)!,
        );
        const rejected = current.find(check => check.state === 'rejected');
        if (!rejected && current.some(check => check.state === 'requested'))
          return;
        for (const check of checks) this.waiters.delete(check.id);
        const last = rejected ?? current.at(-1)!;
        resolve({
          decision: rejected ? 'rejected' : 'approved',
          by: apps.apps.find(app => app.id === last.appId)!.botLogin,
        });
      };
      for (const check of checks) this.waiters.set(check.id, settle);
      signal.addEventListener(
        'abort',
        () => {
          for (const check of checks) this.waiters.delete(check.id);
          reject(signal.reason);
        },
        { once: true },
      );
    });
    for (const check of checks)
      this.notify(check.appId, run, environment, deployment);
    return decided;
  }

  /**
   * The App's answer for `environmentName` of `run`, through its installation `installationId`:
   * 422 unless the run waits on that App's rule there.
   */
  decide(
    run: RunRecord,
    installationId: number,
    environmentName: string,
    state: 'approved' | 'rejected',
    comment: string,
    now: number,
  ): void {
    const apps = appsOf(this.options.state());
    const installation = apps.installations.find(i => i.id === installationId);
    const check = apps.ruleChecks.find(
      c =>
        c.runId === run.id &&
        c.environmentName === environmentName &&
        c.appId === installation?.appId &&
        c.state === 'requested',
    );
    if (!check) {
      throw new GitHubError(
        422,
        `No pending deployment protection rule of this app for environment ${environmentName} in this run`,
        CALLBACK_DOCS,
      );
    }
    check.state = state;
    check.comment = comment;
    check.decidedAt = iso(now);
    this.waiters.get(check.id)?.();
  }

  private notify(
    appId: number,
    run: RunRecord,
    environment: EnvironmentRecord,
    deployment: DeploymentRecord,
  ): void {
    const apps = appsOf(this.options.state());
    const app = apps.apps.find(a => a.id === appId)!;
    const scoped = repositoryContext(
      this.options.payloadContext(),
      run.repositoryId,
    );
    const installation = apps.installations.find(
      i =>
        i.appId === app.id &&
        i.accountLogin.toLowerCase() === scoped?.owner.toLowerCase(),
    );
    if (!scoped || !installation) return;
    this.options.sender.sendToApp(
      app,
      deploymentProtectionRuleEvent(scoped, {
        environment: environment.name,
        run,
        deployment,
        installation: {
          id: installation.id,
          nodeId: nodeId('IN', installation.id),
        },
      }),
    );
  }
}
