// A project's build environment variables, with Read the Docs' rules: a value goes in and never
// comes back out (reads carry names only), a name is letters, digits and _ and never one Bindery
// sets itself (READTHEDOCS*), a value has at most 48,000 characters and all of a project's
// together at most 256,000. Variables are added and deleted, never changed, as on Read the Docs.
import { createVariable, deleteVariable, findVariable, findVariableByName, listVariables, totalValueLength, type ShownVariable } from '../db/environment-variables.ts';
import type { Project } from '../db/schema.ts';
import { DomainError } from '../core/domain-error.ts';
import type { DomainContext } from './context.ts';

export type { ShownVariable };
export const MAX_NAME_LENGTH = 128;
export const MAX_VALUE_LENGTH = 48_000;
export const MAX_TOTAL_LENGTH = 256_000;

export interface VariableInput {
  name: string;
  value: string;
  public: boolean;
}

const invalid = (field: string, message: string) => new DomainError(field, message);

/** Read the Docs' checks of a name (its own messages, in its order), and a shell's: no leading digit. */
function checkName(name: string): void {
  if (!name) throw invalid('name', 'This field may not be blank.');
  if (name.length > MAX_NAME_LENGTH) throw invalid('name', `Ensure this field has no more than ${MAX_NAME_LENGTH} characters.`);
  if (name.startsWith('__')) throw invalid('name', "Variable name can't start with __ (double underscore)");
  // Any case: a build's shell would not tell READTHEDOCS_X from readthedocs_x apart in intent.
  if (name.toUpperCase().startsWith('READTHEDOCS')) throw invalid('name', "Variable name can't start with READTHEDOCS");
  if (name.includes(' ')) throw invalid('name', "Variable name can't contain spaces");
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw invalid('name', 'Only letters, numbers and underscore are allowed');
  if (/^[0-9]/.test(name)) throw invalid('name', "Variable name can't start with a digit");
}

export async function projectVariables(ctx: Pick<DomainContext, 'db'>, project: Project, limit = 1000, offset = 0): Promise<{ count: number; rows: ShownVariable[] }> {
  return listVariables(ctx.db, project.id, limit, offset);
}

export async function projectVariable(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<ShownVariable> {
  const row = await findVariable(ctx.db, project.id, id);
  if (!row) throw new DomainError('environmentvariable', 'Not found.', 'not_found');
  return row;
}

/** Adds a variable; DomainError naming `name` or `value` when a rule refuses it. */
export async function addVariable(ctx: Pick<DomainContext, 'db'>, project: Project, input: VariableInput): Promise<ShownVariable> {
  checkName(input.name);
  if (input.value.length > MAX_VALUE_LENGTH) throw invalid('value', `Ensure this field has no more than ${MAX_VALUE_LENGTH} characters.`);
  const taken = () => invalid('name', 'There is already a variable with this name for this project');
  if (await findVariableByName(ctx.db, project.id, input.name)) throw taken();
  if ((await totalValueLength(ctx.db, project.id)) + input.value.length > MAX_TOTAL_LENGTH) {
    throw invalid('value', 'The total size of all environment variables in the project cannot exceed 256 KB.');
  }
  // Two adds of one name at once: the unique index decides, and the loser hears the same.
  const row = await createVariable(ctx.db, project.id, input);
  if (!row) throw taken();
  return row;
}

export async function removeVariable(ctx: Pick<DomainContext, 'db'>, project: Project, id: number): Promise<void> {
  if (!(await deleteVariable(ctx.db, project.id, id))) throw new DomainError('environmentvariable', 'Not found.', 'not_found');
}
