import { list, write, type OperationHandlers } from '../../../api/operations.ts';
import { createDeal, updateDeal } from './deals.ts';
import { createDealStage, listDealStages } from './stages.ts';
import { serializeDeal, serializeDealStage } from './serializers.ts';

export const dealOperations = {
  listDealStages: list(({ tenant, query }) => listDealStages(tenant, query), serializeDealStage),
  createDealStage: write(201, ({ tenant, body }) => createDealStage(tenant, body), serializeDealStage),
  createDeal: write(201, ({ tenant, body }) => createDeal(tenant, body), serializeDeal),
  updateDeal: write(200, ({ tenant, path, body }) => updateDeal(tenant, path.deal_id, body), serializeDeal),
} satisfies OperationHandlers;
