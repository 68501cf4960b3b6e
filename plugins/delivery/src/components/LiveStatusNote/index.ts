export { LiveStatusNote } from './LiveStatusNote';
