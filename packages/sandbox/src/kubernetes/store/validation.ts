/*
 * The subset of apiserver validation that the portal and kubectl can trip over, answered as
 * 422 Invalid with the same field paths and wording as pkg/apis/apps/validation.
 */

import { FieldError, invalid } from '../apimachinery/apiErrors';
import { KubeObject } from '../apimachinery/objects';
import { deepEqual } from '../apimachinery/patches';
import { ResourceType } from '../apimachinery/resources';
import { labelSelectorMatcher } from '../apimachinery/selectors';

const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function goMap(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).map(([k, v]) => `"${k}":"${v}"`);
  return `map[string]string{${entries.join(', ')}}`;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function validatePodTemplate(
  template: any,
  path: string,
  errors: FieldError[],
) {
  const containers = template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    errors.push({
      reason: 'FieldValueRequired',
      field: `${path}.spec.containers`,
      message: 'Required value',
    });
    return;
  }
  containers.forEach((container, i) => {
    if (!container?.name) {
      errors.push({
        reason: 'FieldValueRequired',
        field: `${path}.spec.containers[${i}].name`,
        message: 'Required value',
      });
    }
    if (!container?.image) {
      errors.push({
        reason: 'FieldValueRequired',
        field: `${path}.spec.containers[${i}].image`,
        message: 'Required value',
      });
    }
  });
}

function validateWorkload(object: KubeObject, errors: FieldError[]) {
  const spec = object.spec ?? {};
  if (typeof spec.replicas === 'number' && spec.replicas < 0) {
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'spec.replicas',
      message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
    });
  }
  const selector = spec.selector;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    errors.push({
      reason: 'FieldValueRequired',
      field: 'spec.selector',
      message: 'Required value',
    });
  } else if (!labelSelectorMatcher(selector)(spec.template?.metadata?.labels)) {
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'spec.template.metadata.labels',
      message: `Invalid value: ${goMap(
        spec.template?.metadata?.labels,
      )}: \`selector\` does not match template \`labels\``,
    });
  }
  validatePodTemplate(spec.template, 'spec.template', errors);
}

/** Throws 422 Invalid when `object` may not be stored (as a create, or as an update of `previous`). */
export function validateObject(
  type: ResourceType,
  object: KubeObject,
  previous?: KubeObject,
) {
  const errors: FieldError[] = [];
  const name = object.metadata?.name ?? '';
  if (!name) {
    errors.push({
      reason: 'FieldValueRequired',
      field: 'metadata.name',
      message: 'Required value: name or generateName is required',
    });
  } else if (!DNS_SUBDOMAIN.test(name) || name.length > 253) {
    errors.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    });
  }
  if (type.kind === 'Deployment' || type.kind === 'ReplicaSet') {
    validateWorkload(object, errors);
    if (
      previous &&
      !deepEqual(previous.spec?.selector, object.spec?.selector)
    ) {
      errors.push({
        reason: 'FieldValueInvalid',
        field: 'spec.selector',
        message: `Invalid value: ${JSON.stringify(
          object.spec?.selector,
        )}: field is immutable`,
      });
    }
  }
  if (type.kind === 'Pod' && !previous) {
    validatePodTemplate({ spec: object.spec }, '', errors);
    for (const e of errors) e.field = e.field.replace(/^\./, '');
  }
  if (errors.length > 0) {
    throw invalid(type.kind, type.group, name, errors);
  }
}
