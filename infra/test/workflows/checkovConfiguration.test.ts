import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { infraRoot } from '../support/repositoryPaths.js';

const file = path.join(infraRoot, '.checkov.yaml');
const text = fs.readFileSync(file, 'utf8');

describe('Checkov configuration', () => {
  it('scans Terraform, Kubernetes, kustomize and the workflows', () => {
    const configuration = parse(text);
    expect(configuration.framework).toEqual(expect.arrayContaining(['terraform', 'kubernetes', 'kustomize', 'github_actions']));
  });

  it('gives a reason for every skipped check', () => {
    const skips = text.split('\n').filter(line => /^\s+- CKV/.test(line));
    expect(skips.length).toBe(parse(text)['skip-check'].length);
    for (const skip of skips) expect(skip, skip).toMatch(/^\s+- CKV\w+ # \S.{20,}$/);
  });

  it('skips none of the checks our policy tests claim (encryption, public access, IMDSv2, logging, root, privilege)', () => {
    const claimed = ['CKV_AWS_16', 'CKV_AWS_17', 'CKV_AWS_58', 'CKV_AWS_79', 'CKV_AWS_37', 'CKV2_AWS_11', 'CKV_AWS_133', 'CKV_AWS_293', 'CKV_AWS_51', 'CKV_AWS_163', 'CKV_K8S_20', 'CKV_K8S_22', 'CKV_K8S_23', 'CKV_K8S_28', 'CKV_K8S_37', 'CKV_K8S_40'];
    for (const check of claimed) expect(parse(text)['skip-check']).not.toContain(check);
  });
});
