export { catalogModuleTitanicRepositoryHosts as default } from './module';
export {
  REPOSITORY_HOSTS_ANNOTATION,
  RepositoryHostsProcessor,
} from './repositoryHostsProcessor';
