// Reading a webhook body from its raw bytes: JSON, or form-encoded (GitHub's
// `payload=<json>` option, and the generic webhook's `token=…&branches=…`).
import { HttpError } from '../errors.ts';
import { header, type RawDelivery } from './provider.ts';

export type Json = Record<string, unknown>;

function isForm(delivery: RawDelivery): boolean {
  return (header(delivery, 'content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function parseJson(text: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The webhook body is not valid JSON.');
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'The webhook body must be a JSON object.');
  return value as Json;
}

/** A provider's JSON payload, sent as JSON or as GitHub's form field `payload`. */
export function jsonPayload(delivery: RawDelivery): Json {
  const text = delivery.body.toString('utf8');
  if (!isForm(delivery)) return parseJson(text);
  const payload = new URLSearchParams(text).get('payload');
  if (payload === null) throw new HttpError(400, 'The form-encoded webhook body has no "payload" field.');
  return parseJson(payload);
}

/** A flat object of fields, from JSON or a form; a form field given several times becomes a list. */
export function fields(delivery: RawDelivery): Json {
  const text = delivery.body.toString('utf8');
  if (!isForm(delivery)) return text.trim() === '' ? {} : parseJson(text);
  const form = new URLSearchParams(text);
  const out: Json = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key);
    out[key] = all.length > 1 ? all : all[0];
  }
  return out;
}

export function object(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
