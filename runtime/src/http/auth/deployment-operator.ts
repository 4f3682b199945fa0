import type { WorkspaceRepository } from '@flowcard/engine';
import type { Principal } from './principal';

/**
 * Whether the caller operates the deployment (installs connectors every workspace sees): an email
 * named in FLOWCARD_OPERATORS, or, when none is named, an owner of the deployment's first workspace
 * (the first owner, who set the deployment up). Workspace roles never make anyone an operator.
 */
export async function isDeploymentOperator(
  principal: Principal,
  operators: readonly string[],
  workspaces: WorkspaceRepository | undefined,
): Promise<boolean> {
  if (operators.length > 0) return operators.includes(principal.user.email.toLowerCase());
  if (principal.role !== 'owner' || !workspaces) return false;
  const [first] = await workspaces.list();
  return first?.id === principal.workspace.id;
}

/** Who the operator is, for the refusal message. */
export function operatorDescription(operators: readonly string[]): string {
  return operators.length > 0
    ? 'the users named in FLOWCARD_OPERATORS'
    : "the owners of the deployment's first workspace";
}
