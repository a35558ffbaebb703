// Id prefixes of the tracking plan's records. Not `evt_`: the kernel's outbox events (the webhook
// event ids customers see) own that prefix.
export const ANALYTICS_IDS = {
  analyticsEvent: 'aevt',
  analyticsProperty: 'prop',
} as const;
