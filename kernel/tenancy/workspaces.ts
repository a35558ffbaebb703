// Workspaces (the tenancy root) and their API tokens: what the CLI, provisioning and the API's
// authentication share.
import type { EntityManager } from '../../platform/db.ts';
import { newId } from '../../platform/ids.ts';
import { generateToken, hashToken } from '../../platform/tokens.ts';
import { KERNEL_IDS } from '../ids.ts';
import { ApiTokenSchema, WorkspaceSchema, type ApiToken, type Workspace } from './entities.ts';
import { MODULES, isModule, isScope, type Scope } from './scopes.ts';

export interface NewWorkspace { name: string; enabled_modules?: string[]; rate_limit_per_second?: number | null }

export async function createWorkspace(em: EntityManager, input: NewWorkspace): Promise<Workspace> {
  const name = input.name.trim();
  if (!name) throw new Error('A workspace needs a non-empty name.');
  if (input.rate_limit_per_second != null && !(Number.isInteger(input.rate_limit_per_second) && input.rate_limit_per_second > 0)) {
    throw new Error('The rate limit must be a positive integer (requests per second).');
  }
  const modules = input.enabled_modules ?? [...MODULES];
  const unknownModules = modules.filter((m) => !isModule(m));
  if (unknownModules.length) throw new Error(`Unknown modules: ${unknownModules.join(', ')}.`);
  const workspace = em.create(WorkspaceSchema, {
    id: newId(KERNEL_IDS.workspace),
    name,
    enabled_modules: modules.filter(isModule),
    rate_limit_per_second: input.rate_limit_per_second ?? null,
    status: 'provisioning',
    provisioned_at: null,
    created_at: new Date(),
    updated_at: new Date(),
  });
  await em.persistAndFlush(workspace);
  return workspace;
}

export async function getWorkspaceById(em: EntityManager, id: string): Promise<Workspace | null> {
  return em.findOne(WorkspaceSchema, { id });
}

export interface IssuedToken { id: string; token: string; workspace_id: string; scopes: Scope[]; name: string | null }

export async function createToken(em: EntityManager, workspaceId: string, requested: readonly string[], name: string | null = null): Promise<IssuedToken> {
  const workspace = await getWorkspaceById(em, workspaceId);
  if (!workspace) throw new Error(`No workspace with id "${workspaceId}".`);
  const unknown = requested.filter((s) => !isScope(s));
  if (unknown.length) throw new Error(`Unknown scopes: ${unknown.join(', ')}.`);
  const scopes = requested.filter(isScope);
  const token = generateToken();
  const row = em.create(ApiTokenSchema, {
    id: newId(KERNEL_IDS.token), workspace_id: workspaceId, name, token_hash: hashToken(token), scopes,
    created_at: new Date(), revoked_at: null,
  });
  await em.persistAndFlush(row);
  return { id: row.id, token, workspace_id: workspaceId, scopes, name };
}

export async function revokeToken(em: EntityManager, tokenId: string): Promise<ApiToken> {
  const token = await em.findOne(ApiTokenSchema, { id: tokenId });
  if (!token) throw new Error(`No token with id "${tokenId}".`);
  token.revoked_at ??= new Date();
  await em.flush();
  return token;
}

/** Resolves a presented bearer token to its workspace, or null when unknown or revoked. */
export async function authenticate(em: EntityManager, presented: string): Promise<{ token: ApiToken; workspace: Workspace | null } | null> {
  const token = await em.findOne(ApiTokenSchema, { token_hash: hashToken(presented), revoked_at: null });
  if (!token) return null;
  return { token, workspace: await getWorkspaceById(em, token.workspace_id) };
}

export async function markProvisioned(em: EntityManager, workspaceId: string): Promise<void> {
  await em.nativeUpdate(WorkspaceSchema, { id: workspaceId, status: 'provisioning' }, { status: 'active', provisioned_at: new Date(), updated_at: new Date() });
}
