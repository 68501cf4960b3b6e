import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
} from './patches';
import { KubernetesApiError } from './apiErrors';
import {
  formatLabelSelector,
  labelSelectorMatcher,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

describe('patches', () => {
  const deployment = {
    metadata: {
      name: 'web',
      labels: { app: 'web', tier: 'front' },
      resourceVersion: '7',
    },
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'web',
              image: 'web:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              args: ['--a'],
            },
            { name: 'sidecar', image: 'proxy:1' },
          ],
        },
      },
    },
  };

  it('applies every RFC 6902 operation and rejects a failed test with the 422 the apiserver sends', () => {
    const patched = applyJsonPatch(deployment, [
      { op: 'test', path: '/metadata/resourceVersion', value: '7' },
      {
        op: 'replace',
        path: '/spec/template/spec/containers/0/image',
        value: 'web:2',
      },
      { op: 'add', path: '/metadata/labels/new~1label', value: 'x' },
      { op: 'remove', path: '/metadata/labels/tier' },
      { op: 'copy', from: '/metadata/name', path: '/metadata/generateName' },
      {
        op: 'move',
        from: '/spec/template/spec/containers/1',
        path: '/spec/template/spec/containers/-',
      },
    ]) as typeof deployment & { metadata: { generateName: string } };
    expect(patched.spec.template.spec.containers[0].image).toBe('web:2');
    expect(patched.metadata.labels).toEqual({ app: 'web', 'new/label': 'x' });
    expect(patched.metadata.generateName).toBe('web');
    expect(deployment.spec.template.spec.containers[0].image).toBe('web:1');

    let failure: unknown;
    try {
      applyJsonPatch(deployment, [
        { op: 'test', path: '/metadata/resourceVersion', value: '6' },
      ]);
    } catch (error) {
      failure = error;
    }
    expect((failure as KubernetesApiError).status).toMatchObject({
      code: 422,
      reason: 'Invalid',
    });
    expect(() =>
      applyJsonPatch(deployment, [
        { op: 'replace', path: '/spec/missing/field', value: 1 },
      ]),
    ).toThrow(KubernetesApiError);
  });

  it('merges with RFC 7386 semantics: null deletes, lists replace', () => {
    const patched = applyMergePatch(deployment, {
      metadata: { labels: { tier: null } },
      spec: { template: { spec: { containers: [{ name: 'only' }] } } },
    }) as typeof deployment;
    expect(patched.metadata.labels).toEqual({ app: 'web' });
    expect(patched.spec.template.spec.containers).toEqual([{ name: 'only' }]);
  });

  it('merges containers and env by name, replaces atomic lists, and honours $patch directives', () => {
    const patched = applyStrategicMergePatch(deployment, {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'web' }],
            containers: [
              {
                name: 'web',
                image: 'web:3',
                env: [
                  { name: 'B', value: '3' },
                  { name: 'C', value: '4' },
                ],
                args: ['--b'],
              },
              { name: 'sidecar', $patch: 'delete' },
            ],
          },
        },
      },
    }) as typeof deployment;
    expect(patched.spec.template.spec.containers).toEqual([
      {
        name: 'web',
        image: 'web:3',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
          { name: 'C', value: '4' },
        ],
        args: ['--b'],
      },
    ]);
    const replaced = applyStrategicMergePatch(deployment, {
      metadata: { labels: { $patch: 'replace', only: 'this' } },
    }) as typeof deployment;
    expect(replaced.metadata.labels).toEqual({ only: 'this' });
  });
});

describe('selectors', () => {
  const labels = { app: 'web', tier: 'front', 'pod-template-hash': 'abc' };

  it.each([
    ['app=web', true],
    ['app==web,tier!=back', true],
    ['tier in (front, back)', true],
    ['tier notin (front)', false],
    ['pod-template-hash', true],
    ['!pod-template-hash', false],
    ['app in (web),!missing', true],
    ['', true],
  ])('label selector %p matches: %p', (selector, expected) => {
    expect(parseLabelSelector(selector)(labels)).toBe(expected);
  });

  it('matches LabelSelector objects with matchExpressions and formats them as kubectl does', () => {
    const selector = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In' as const, values: ['front'] },
      ],
    };
    expect(labelSelectorMatcher(selector)(labels)).toBe(true);
    expect(labelSelectorMatcher(selector)({ app: 'web' })).toBe(false);
    expect(formatLabelSelector(selector)).toBe('app=web,tier in (front)');
  });

  it('matches field selectors on dotted paths', () => {
    const event = {
      metadata: { name: 'x' },
      involvedObject: { kind: 'Pod', name: 'p' },
    };
    expect(
      parseFieldSelector('involvedObject.kind=Pod,metadata.name=x')(event),
    ).toBe(true);
    expect(parseFieldSelector('involvedObject.kind!=Pod')(event)).toBe(false);
  });
});
