import { createHash } from 'node:crypto';
import { SarifLog, SarifRule } from './sarif';
import {
  AlertRecord,
  AlertRuleRecord,
  SarifUploadRecord,
  WorldState,
} from './records';
import {
  addAlert,
  addAnalysis,
  addSarifUpload,
  recordsOf,
} from './repositoryIndex';

/*
 * What GitHub code scanning does with an uploaded SARIF analysis: each result becomes (or
 * updates) an alert identified by tool, rule and location; alerts of the same tool on the same
 * ref that the new analysis no longer reports are fixed there.
 */

function securitySeverityLevel(
  score: string | undefined,
): AlertRuleRecord['securitySeverityLevel'] {
  if (score === undefined) return null;
  const value = Number.parseFloat(score);
  if (Number.isNaN(value)) return null;
  if (value >= 9) return 'critical';
  if (value >= 7) return 'high';
  if (value >= 4) return 'medium';
  return value > 0 ? 'low' : null;
}

function ruleRecord(
  ruleId: string,
  rule: SarifRule | undefined,
  level: string | undefined,
): AlertRuleRecord {
  const severity = (level ??
    rule?.defaultConfiguration?.level ??
    'warning') as AlertRuleRecord['severity'];
  return {
    id: ruleId,
    name: rule?.name ?? ruleId,
    description:
      rule?.shortDescription?.text ?? rule?.fullDescription?.text ?? ruleId,
    fullDescription:
      rule?.fullDescription?.text ?? rule?.shortDescription?.text ?? '',
    severity: ['none', 'note', 'warning', 'error'].includes(severity)
      ? severity
      : 'warning',
    securitySeverityLevel: securitySeverityLevel(
      rule?.properties?.['security-severity'],
    ),
    tags: (rule?.properties?.tags ?? []).map(String),
    help: rule?.help?.markdown ?? rule?.help?.text ?? null,
    helpUri: rule?.helpUri ?? null,
  };
}

export class SarifValidationError extends Error {}

/** Checks the parts of SARIF 2.1.0 that code scanning needs; GitHub rejects the rest the same way. */
export function assertSarif(value: unknown): asserts value is SarifLog {
  const log = value as SarifLog;
  if (!log || typeof log !== 'object' || !Array.isArray(log.runs)) {
    throw new SarifValidationError('instance requires property "runs"');
  }
  for (const run of log.runs) {
    if (!run?.tool?.driver?.name) {
      throw new SarifValidationError(
        'instance.runs[0].tool.driver requires property "name"',
      );
    }
    if (!Array.isArray(run.results)) {
      throw new SarifValidationError(
        'instance.runs[0] requires property "results"',
      );
    }
  }
}

export function ingestSarif(
  state: WorldState,
  sarif: SarifLog,
  options: {
    /** The repository the analysis is for; default the seeded one. */
    repositoryId?: number;
    ref: string;
    commitSha: string;
    at: string;
    workflowPath?: string;
  },
): SarifUploadRecord {
  assertSarif(sarif);
  const repositoryId = options.repositoryId ?? state.repository.id;
  const records = recordsOf(state, repositoryId);
  const byFingerprint = records.alertsByFingerprint;
  let resultsCount = 0;
  const uploadId = createHash('sha1')
    .update(
      `${options.ref}\0${options.commitSha}\0${options.at}\0${state.sarifUploads.length}`,
    )
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5');
  const toolNames: string[] = [];
  for (const run of sarif.runs) {
    const driver = run.tool.driver;
    const toolName = driver.name;
    toolNames.push(toolName);
    const toolVersion =
      (driver.semanticVersion as string | undefined) ??
      (driver.version as string | undefined) ??
      null;
    const rules = new Map((driver.rules ?? []).map(rule => [rule.id, rule]));
    const analysisKey = `${
      options.workflowPath ?? '.github/workflows/titanic-service.yml'
    }:${toolName.toLowerCase()}`;
    const seen = new Set<string>();
    state.sequences.analysis += 1;
    addAnalysis(state, {
      id: state.sequences.analysis,
      repositoryId,
      sarifId: uploadId,
      ref: options.ref,
      commitSha: options.commitSha,
      analysisKey,
      category: `${analysisKey.split(':')[0]}:${toolName.toLowerCase()}`,
      toolName,
      toolVersion,
      resultsCount: run.results.length,
      rulesCount: driver.rules?.length ?? 0,
      createdAt: options.at,
    });
    for (const result of run.results) {
      resultsCount += 1;
      const physical = result.locations?.[0]?.physicalLocation;
      const path = physical?.artifactLocation?.uri ?? '';
      const region = physical?.region ?? {};
      const location = {
        path,
        startLine: region.startLine ?? 1,
        endLine: region.endLine ?? region.startLine ?? 1,
        startColumn: region.startColumn ?? 1,
        endColumn: region.endColumn ?? region.startColumn ?? 1,
      };
      const fingerprint = createHash('sha1')
        .update(`${toolName}\0${result.ruleId}\0${path}\0${location.startLine}`)
        .digest('hex');
      seen.add(fingerprint);
      let alert = byFingerprint.get(fingerprint);
      if (!alert) {
        // Alert numbers count per repository, as on GitHub.
        state.sequences.alert += 1;
        alert = {
          number: records.alerts.length + 1,
          repositoryId,
          toolName,
          toolVersion,
          toolGuid: null,
          rule: ruleRecord(
            result.ruleId,
            rules.get(result.ruleId),
            result.level,
          ),
          fingerprint,
          createdAt: options.at,
          updatedAt: options.at,
          dismissed: null,
          instances: [],
        } satisfies AlertRecord;
        addAlert(state, alert);
      }
      alert.toolVersion = toolVersion;
      const instance = {
        ref: options.ref,
        commitSha: options.commitSha,
        analysisKey,
        category: `${analysisKey.split(':')[0]}:${toolName.toLowerCase()}`,
        state: 'open' as const,
        message: result.message?.text ?? '',
        location,
        updatedAt: options.at,
        fixedAt: null,
      };
      const existing = alert.instances.findIndex(i => i.ref === options.ref);
      if (existing >= 0) {
        alert.instances[existing] = instance;
      } else {
        alert.instances.push(instance);
      }
      alert.updatedAt = options.at;
    }
    for (const alert of records.alerts) {
      if (alert.toolName !== toolName || seen.has(alert.fingerprint)) continue;
      const instance = alert.instances.find(i => i.ref === options.ref);
      if (instance && instance.state === 'open') {
        instance.state = 'fixed';
        instance.fixedAt = options.at;
        instance.commitSha = options.commitSha;
        instance.updatedAt = options.at;
        alert.updatedAt = options.at;
      }
    }
  }
  const upload: SarifUploadRecord = {
    id: uploadId,
    repositoryId,
    ref: options.ref,
    commitSha: options.commitSha,
    toolNames,
    resultsCount,
    createdAt: options.at,
    processingStatus: 'complete',
    errors: null,
  };
  addSarifUpload(state, upload);
  return upload;
}
