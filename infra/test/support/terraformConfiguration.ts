import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { terraformRoot, type Environment } from './repositoryPaths.js';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json') as {
  parse: (fileName: string, contents: string) => Promise<Record<string, any>>;
};

/** Blocks of one kind, as hcl2json gives them: type -> name -> list of bodies. */
export type BlocksByType = Record<string, Record<string, Record<string, any>[]>>;

/** A Terraform directory parsed by @cdktf/hcl2json, with its .tf files merged. */
export interface TerraformDirectory {
  directory: string;
  files: Record<string, Record<string, any>>;
  resources: BlocksByType;
  data: BlocksByType;
  variables: Record<string, Record<string, any>>;
  outputs: Record<string, Record<string, any>>;
  modules: Record<string, Record<string, any>>;
  terraformBlocks: Record<string, any>[];
  providers: Record<string, Record<string, any>[]>;
  locals: Record<string, any>;
}

export async function parseTerraformDirectory(directory: string): Promise<TerraformDirectory> {
  const parsed: TerraformDirectory = {
    directory,
    files: {},
    resources: {},
    data: {},
    variables: {},
    outputs: {},
    modules: {},
    terraformBlocks: [],
    providers: {},
    locals: {},
  };
  const fileNames = fs.readdirSync(directory).filter(name => name.endsWith('.tf')).sort();
  for (const fileName of fileNames) {
    const body = await parse(fileName, fs.readFileSync(path.join(directory, fileName), 'utf8'));
    parsed.files[fileName] = body;
    for (const [type, byName] of Object.entries<Record<string, any[]>>(body.resource ?? {})) {
      parsed.resources[type] = { ...(parsed.resources[type] ?? {}), ...byName };
    }
    for (const [type, byName] of Object.entries<Record<string, any[]>>(body.data ?? {})) {
      parsed.data[type] = { ...(parsed.data[type] ?? {}), ...byName };
    }
    for (const [name, [block]] of Object.entries<any[]>(body.variable ?? {})) parsed.variables[name] = block;
    for (const [name, [block]] of Object.entries<any[]>(body.output ?? {})) parsed.outputs[name] = block;
    for (const [name, [block]] of Object.entries<any[]>(body.module ?? {})) parsed.modules[name] = block;
    for (const [name, blocks] of Object.entries<any[]>(body.provider ?? {})) parsed.providers[name] = blocks;
    for (const block of body.locals ?? []) Object.assign(parsed.locals, block);
    parsed.terraformBlocks.push(...(body.terraform ?? []));
  }
  return parsed;
}

export async function parseTfvars(file: string): Promise<Record<string, any>> {
  return parse(path.basename(file), fs.readFileSync(file, 'utf8'));
}

export const moduleNames = ['kms', 'network', 'eks', 'rds', 'ecr'] as const;
export type ModuleName = (typeof moduleNames)[number];

export function moduleDirectory(name: ModuleName): string {
  return path.join(terraformRoot, 'modules', name);
}

export function environmentDirectory(environment: Environment): string {
  return path.join(terraformRoot, 'environments', environment);
}

/** Every resource of one type in a module, one body each (first instance of each name). */
export function resourcesOfType(directory: TerraformDirectory, type: string): [string, Record<string, any>][] {
  return Object.entries(directory.resources[type] ?? {}).map(([name, [body]]) => [name, body]);
}

const wholeVariableReference = /^\$\{var\.([a-z0-9_]+)\}$/;

/**
 * The value an attribute takes in one environment: a module attribute that is `${var.x}` is followed
 * to the environment's module call, and from there to terraform.tfvars or the variable's default.
 * Anything that is not a plain variable reference comes back as the expression text.
 */
export async function effectiveValue(
  environment: Environment,
  moduleName: ModuleName,
  attributeValue: unknown,
): Promise<unknown> {
  const moduleReference = typeof attributeValue === 'string' ? wholeVariableReference.exec(attributeValue) : null;
  if (!moduleReference) return attributeValue;
  const moduleVariable = moduleReference[1];
  const environmentConfiguration = await parseTerraformDirectory(environmentDirectory(environment));
  const call = Object.values(environmentConfiguration.modules).find(
    block => block.source === `../../modules/${moduleName}`,
  );
  if (!call) throw new Error(`environment ${environment} does not call module ${moduleName}`);
  if (!(moduleVariable in call)) {
    const moduleConfiguration = await parseTerraformDirectory(moduleDirectory(moduleName));
    return moduleConfiguration.variables[moduleVariable]?.default;
  }
  const passed = call[moduleVariable];
  const environmentReference = typeof passed === 'string' ? wholeVariableReference.exec(passed) : null;
  if (!environmentReference) return passed;
  const tfvars = await parseTfvars(path.join(environmentDirectory(environment), 'terraform.tfvars'));
  if (environmentReference[1] in tfvars) return tfvars[environmentReference[1]];
  return environmentConfiguration.variables[environmentReference[1]]?.default;
}

/** Lists every .tf file under a directory, recursively. */
export function terraformFiles(directory: string): string[] {
  return fs.readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter(name => name.endsWith('.tf'))
    .map(name => path.join(directory, name));
}
