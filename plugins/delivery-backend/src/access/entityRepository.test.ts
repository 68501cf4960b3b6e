import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { repositoryOfEntity } from './entityRepository';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'titanic-service', namespace: 'default', annotations },
});

describe('repositoryOfEntity', () => {
  it('reads owner and name from github.com/project-slug on the configured host', () => {
    expect(
      repositoryOfEntity(
        entity({ 'github.com/project-slug': 'acme-corp/titanic-service' }),
        'github.com',
      ),
    ).toEqual({
      host: 'github.com',
      owner: 'acme-corp',
      name: 'titanic-service',
    });
  });

  it('explains a missing annotation', () => {
    const error = (() => {
      try {
        return repositoryOfEntity(entity(), 'github.com');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({
      message: expect.stringContaining(
        'component:default/titanic-service has no github.com/project-slug',
      ),
      details: { reason: 'missing-annotation' },
    });
  });

  it('refuses a slug that is not owner/name', () => {
    expect(() =>
      repositoryOfEntity(
        entity({ 'github.com/project-slug': 'https://github.com/acme-corp/x' }),
        'github.com',
      ),
    ).toThrow(/is not owner\/name/);
  });
});
