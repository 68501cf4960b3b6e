import { ServiceParameters } from './serviceParameters';

/**
 * The values the reference service is written with. Scaffolding with exactly these reproduces the
 * reference tree byte for byte (serviceTree.test.ts), which proves every rename rule finds what it
 * replaces.
 */
export const REFERENCE_SERVICE: ServiceParameters = {
  name: 'titanic-service',
  organization: 'acme-corp',
  repository: 'titanic-service',
  namespacePrefix: 'titanic',
  title: 'Titanic service',
  apiName: 'titanic-api',
  owner: 'group:default/titanic-team',
  system: 'titanic',
  region: 'eu-west-1',
  environments: ['dev', 'staging', 'prod'],
  databaseInstanceClasses: {
    dev: 'db.t4g.micro',
    staging: 'db.t4g.medium',
    prod: 'db.r6g.large',
  },
  productionReplicas: 3,
  alertChannel: '#titanic-service-alerts',
};

/** The reference's catalog entities in the root catalog-info.yaml. */
export const REFERENCE_COMPONENT = 'titanic-service';
export const REFERENCE_API = 'titanic-api';
