// A Cloudflare Worker (or any workerd-based edge runtime) that scores one
// account per request with the built-in points model.
//
//   POST /score   body: an account { id, values: { ... } }
//   → 200 with the scorecard, or 400 with { code, path, message, help }
import { HealthModel, HealthScoreError, presets } from 'customer-health';

// Built once per isolate, reused by every request.
const model = new HealthModel(presets['saas-points']);

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (request.method !== 'POST' || url.pathname !== '/score') {
      return new Response('POST an account to /score\n', { status: 404 });
    }
    let account;
    try {
      account = await request.json();
    } catch {
      return Response.json({ code: 'invalid_json', path: '', message: 'the body is not JSON', help: 'send an account as JSON' }, { status: 400 });
    }
    try {
      return Response.json(model.score(account));
    } catch (e) {
      if (e instanceof HealthScoreError) {
        return Response.json({ code: e.code, path: e.path, message: e.message, help: e.help }, { status: 400 });
      }
      throw e;
    }
  },
};
