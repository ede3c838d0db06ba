// A deployable edge service: live health scores per account, alerts to a
// webhook. Everything is in customer-health/edge; this file re-exports its
// Durable Object classes and routes requests to them.
import { handle, HealthAccount, HealthTenant } from 'customer-health/edge';

export { HealthAccount, HealthTenant };

export default {
  fetch(request, env) {
    return handle(request, env);
  },
};
