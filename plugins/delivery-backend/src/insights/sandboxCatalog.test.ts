import { HISTORY_OWNER, SERVICE_PROFILES } from '@internal/sandbox';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * catalog/sandbox-services.yaml registers, in local mode, the services the sandbox GitHub serves
 * with ninety days of history: it must name exactly those, with their repositories and owners.
 */
describe('the local catalog of the sandbox services', () => {
  it('names every sandbox service with its repository and owning team, and nothing else', () => {
    const file = path.resolve(
      __dirname,
      '../../../../catalog/sandbox-services.yaml',
    );
    const entities = parseAllDocuments(readFileSync(file, 'utf8')).map(
      document => document.toJS(),
    );
    expect(
      entities.map(entity => ({
        name: entity.metadata.name,
        title: entity.metadata.title,
        slug: entity.metadata.annotations['github.com/project-slug'],
        owner: entity.spec.owner,
      })),
    ).toEqual(
      SERVICE_PROFILES.map(profile => ({
        name: profile.name,
        title: profile.title,
        slug: `${HISTORY_OWNER}/${profile.name}`,
        owner: `group:default/${profile.team}`,
      })),
    );
  });
});
