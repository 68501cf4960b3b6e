export { permissionModuleTitanicPolicy as default } from './module';
export { TitanicPermissionPolicy } from './policy';
export type { TitanicPolicyOptions } from './policy';
