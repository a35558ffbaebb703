import { validationFailed } from '../../platform/errors.ts';
import { withEm } from '../../kernel/tenant.ts';
import {
  list, respond, startEnqueuedWorkflows, write, type OperationHandler, type OperationHandlers, type OperationRequest, type OperationId,
} from '../../api/operations.ts';
import { builtinEventTypes } from './catalog/builtins.ts';
import { listEventTypes, registerEventType } from './catalog/event-types.ts';
import { createEndpoint, listEndpoints, updateEndpoint } from './endpoints/endpoints.ts';
import { listDeliveries, queueTestDelivery } from './deliveries/deliveries.ts';
import { serializeDelivery, serializeEndpoint } from './serializers.ts';
import { targetPolicy, urlProblem } from './targets.ts';
import { inTransaction } from '../../platform/transaction.ts';

const builtins = (req: Pick<OperationRequest<OperationId>, 'deps'>) => builtinEventTypes(req.deps.eventTypes);

/** The URL rules need DNS: checked before the write's transaction opens. */
const checkingUrl = <K extends 'createWebhookEndpoint' | 'updateWebhookEndpoint'>(handler: OperationHandler<K>): OperationHandler<K> => async (req) => {
  const url = (req.body as { url?: string }).url;
  if (url !== undefined) {
    const problem = await urlProblem(url, targetPolicy(req.deps.config.webhookAllowPrivateCidrs));
    if (problem) throw validationFailed([{ field: 'url', problem }]);
  }
  return handler(req);
};

export const integrationOperations = {
  listIntegrationEventTypes: list((req) => listEventTypes(req.tenant, builtins(req), req.query), (entry) => entry),
  registerIntegrationEventType: write(201, (req) => registerEventType(req.tenant, builtins(req), req.body), (entry) => entry),

  listWebhookEndpoints: list(({ tenant, query }) => listEndpoints(tenant, query), (e) => serializeEndpoint(e)),
  createWebhookEndpoint: checkingUrl(write(201, (req) => createEndpoint(req.tenant, builtins(req), req.body),
    (e) => ({ ...serializeEndpoint(e), signing_secret: e.signing_secret }))),
  updateWebhookEndpoint: checkingUrl(write(200, (req) => updateEndpoint(req.tenant, builtins(req), req.path.webhook_id, req.body),
    ({ endpoint, newSecret }) => ({ ...serializeEndpoint(endpoint), signing_secret: newSecret }))),

  sendTestWebhookEvent: async (req) => {
    const { delivery, attempts } = await inTransaction(req.tenant.em, (tx) => queueTestDelivery(withEm(req.tenant, tx), req.path.webhook_id));
    await startEnqueuedWorkflows(req);
    return respond<'sendTestWebhookEvent', 202>(202, serializeDelivery(delivery, attempts));
  },
  listWebhookDeliveries: list(({ tenant, path, query }) => listDeliveries(tenant, path.webhook_id, query),
    ({ delivery, attempts }) => serializeDelivery(delivery, attempts)),
} satisfies OperationHandlers;
