import { read, type OperationHandlers } from '../../api/operations.ts';
import { serializeWorkspace } from './serializers.ts';

export const workspaceOperations = {
  getWorkspace: read(({ workspace }) => serializeWorkspace(workspace)),
} satisfies OperationHandlers;
