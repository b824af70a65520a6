// The HTTP API client: every call goes to /api/v1 (interfaces.md). The access token lives in
// sessionStorage and is sent as `Authorization: Bearer`; a 401 asks the UI for a token.

import { language } from './i18n.js';

const TOKEN_KEY = 'vertoog.token';
let authHandler = () => {};

/** An error answer of the API: `{"error": {"code", "message", "field"}}` plus extras. */
export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || null;
    this.field = err.field || null;
    this.body = body || {};
  }
}

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

export function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage may be disabled */
  }
}

/** Called with the ApiError whenever the server answers 401. */
export function onAuthNeeded(handler) {
  authHandler = handler;
}

/** The URL of an API path with its query (null/empty values left out). */
export function apiUrl(path, query) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== null && v !== undefined && v !== '') params.set(k, String(v));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

/**
 * One API call. Options: method, query, json (a body sent as JSON), form (a FormData body),
 * ifMatch (an ETag: the write happens only if the entity is still that version, else 412),
 * raw (return the Response instead of parsed JSON). Throws ApiError on a non-2xx answer.
 */
export async function api(path, { method = 'GET', query, json, form, ifMatch, raw = false } = {}) {
  // X-Vertoog-Request marks the call as the UI's own (the server's cross-site request check).
  const headers = { Accept: 'application/json', 'Accept-Language': language(), 'X-Vertoog-Request': '1' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (ifMatch) headers['If-Match'] = ifMatch;
  headers['X-Vertoog-Request'] = '1'; // a form cannot send it: the server's CSRF guard
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (form) {
    body = form;
  }
  let res;
  try {
    res = await fetch(apiUrl(path, query), { method, headers, body });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'network', message: String(e.message || e) } });
  }
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      data = null;
    }
    const error = new ApiError(res.status, data);
    if (res.status === 401) authHandler(error);
    throw error;
  }
  if (raw) return res;
  if (res.status === 204) return null;
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

/** Every item of a list route (`{"items": [...], "total": N}`), paging with limit/offset. */
export async function listAll(path, query = {}) {
  const limit = 100000;
  let offset = 0;
  const items = [];
  for (;;) {
    const page = await api(path, { query: { ...query, limit, offset } });
    const got = Array.isArray(page) ? page : page?.items || [];
    items.push(...got);
    const total = Array.isArray(page) ? got.length : (page?.total ?? got.length);
    offset += got.length;
    if (got.length === 0 || offset >= total) break;
  }
  return items;
}
