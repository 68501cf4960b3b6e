/**
 * Scaffolder actions that create a new service from the Titanic reference service.
 *
 * @packageDocumentation
 */
export { scaffolderModuleTitanic as default } from './module';
export { createFetchServiceAction } from './actions/fetchService';
export { createWriteCatalogAction } from './actions/writeCatalog';
// What a new service copies: a portal image must ship these files (packages/backend/Dockerfile).
export { REFERENCE_EXCLUDES, REFERENCE_INCLUDES } from './referenceManifest';
