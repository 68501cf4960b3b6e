export { RepositoryRequired } from './RepositoryRequired';
