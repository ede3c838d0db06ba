// customer-health/edge, events: what an event may hold, how it changes an
// account's stored inputs, and the account the model scores from them.
import { fail } from './edge-http.mjs';
import { sha256 } from './edge-auth.mjs';

const FIELDS = ['id', 'at', 'values', 'increments', 'fields', 'value', 'notes', 'name', 'segment'];
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * An event checked: `{ value }` or `{ error }` (a 400 `invalid_event` with
 * the path). `{ id, at, values?, increments?, fields?, value?, notes?,
 * name?, segment? }`: values set measures (a series as its points, null
 * removes), increments add to them, fields set attributes (`seats` for a
 * per-seat measure), value sets the account's worth, notes carry the CSM's
 * reasons by measure. The model checks the values themselves.
 */
export function checkEvent(e, now, maxSkewMs) {
  const bad = (path, message, help) => ({ error: fail(400, 'invalid_event', path, message, help) });
  if (!isObject(e)) return bad('', 'an event must be an object', 'send { id, at, values } or { id, at, increments }');
  for (const k of Object.keys(e)) {
    if (!FIELDS.includes(k)) return bad(k, `unknown field \`${k}\``, `the fields are ${FIELDS.join(', ')}`);
  }
  if (typeof e.id !== 'string' || e.id.length === 0 || e.id.length > 200) return bad('id', 'the event needs an id (text, 1 to 200 characters)', 'redeliveries with the same id are applied once');
  if (typeof e.at !== 'string' || Number.isNaN(Date.parse(e.at))) return bad('at', 'the event needs an ISO date-time', 'e.g. "2026-03-01T09:30:00Z"');
  if (Date.parse(e.at) > now + maxSkewMs) {
    return { error: fail(400, 'in_future', 'at', `the event is dated ${e.at}, more than ${Math.round(maxSkewMs / 1000)} s ahead of the service's clock`, 'date events when they happened; a sender with a wrong clock must fix it (EDGE_MAX_SKEW_MS sets the tolerance)') };
  }
  for (const k of ['values', 'increments', 'fields', 'notes']) {
    if (e[k] !== undefined && !isObject(e[k])) return bad(k, `${k} must be an object`, `e.g. { "${k}": { "seats": 42 } }`);
  }
  for (const [m, d] of Object.entries(e.increments ?? {})) {
    if (typeof d !== 'number' || !Number.isFinite(d)) return bad(`increments.${m}`, 'an increment must be a finite number', 'e.g. { "complaints": 1 }');
  }
  if (e.value !== undefined && e.value !== null && (typeof e.value !== 'number' || !Number.isFinite(e.value))) return bad('value', 'value must be a finite number or null', "the account's worth, e.g. its ARR");
  for (const k of ['name', 'segment']) {
    if (e[k] !== undefined && e[k] !== null && typeof e[k] !== 'string') return bad(k, `${k} must be text or null`, `e.g. "${k === 'name' ? 'Acme' : 'enterprise'}"`);
  }
  if (!['values', 'increments', 'fields', 'notes', 'value', 'name', 'segment'].some((k) => e[k] !== undefined)) {
    return bad('', 'the event changes nothing', 'give values, increments, fields, value, notes, name or segment');
  }
  return { value: e };
}

/** JSON text with object keys sorted, so that the same content gives the same text. */
function stable(v) {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** What identifies an event's content (the same id with another content is `id_conflict`). */
export const eventDigest = (e) => sha256(stable(e));

/**
 * The account's stored inputs after an event: `{ id, name?, segment?,
 * value?, fields, values, observedAt, notes }`. Every value the event sets
 * is observed at its `at`; a changed value drops its note unless the event
 * gives one; increments add to the current value (or to 0).
 */
export function applyEvent(inputs, e) {
  const next = {
    ...inputs,
    fields: { ...inputs.fields },
    values: { ...inputs.values },
    observedAt: { ...inputs.observedAt },
    notes: { ...inputs.notes },
  };
  const set = (m, v) => {
    if (v === null) {
      delete next.values[m];
      delete next.observedAt[m];
    } else {
      next.values[m] = v;
      next.observedAt[m] = e.at;
    }
    delete next.notes[m];
  };
  for (const [m, v] of Object.entries(e.values ?? {})) set(m, v);
  for (const [m, d] of Object.entries(e.increments ?? {})) {
    const now = next.values[m];
    set(m, (typeof now === 'number' ? now : 0) + d);
  }
  for (const [k, v] of Object.entries(e.fields ?? {})) {
    if (v === null) delete next.fields[k];
    else next.fields[k] = v;
  }
  for (const [m, n] of Object.entries(e.notes ?? {})) {
    if (n === null) delete next.notes[m];
    else next.notes[m] = n;
  }
  for (const k of ['value', 'name', 'segment']) {
    if (e[k] === null) delete next[k];
    else if (e[k] !== undefined) next[k] = e[k];
  }
  return next;
}

/**
 * The account a model scores from stored inputs: values, dates and notes of
 * measures the model does not have are left out (kept in storage: a later
 * model may have them again).
 */
export function accountFor(inputs, measureIds) {
  const keep = (o) => Object.fromEntries(Object.entries(o ?? {}).filter(([k]) => measureIds.has(k)));
  const account = { id: inputs.id, values: keep(inputs.values), observedAt: keep(inputs.observedAt), fields: inputs.fields ?? {} };
  const notes = keep(inputs.notes);
  if (Object.keys(notes).length > 0) account.notes = notes;
  for (const k of ['name', 'segment', 'value']) if (inputs[k] !== undefined) account[k] = inputs[k];
  return account;
}
