export const INTEGRATION_IDS = { eventType: 'iet', webhookEndpoint: 'wh', webhookDelivery: 'whd' } as const;
