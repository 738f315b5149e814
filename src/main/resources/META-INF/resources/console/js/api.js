// Calls to Ranker's HTTP API. Every failure becomes an ApiError carrying the problem document
// (RFC 9457: title, detail and, for rule files, errors with line, column and a pointer into the rules).

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `The server answered ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
  get errors() { return Array.isArray(this.problem.errors) ? this.problem.errors : []; }
}

const YAML = 'application/yaml';

// The signed-in key: sent with every call once set, since previews, recent requests and replays need the admin scope too.
let signedInToken = null;
export function useToken(token) { signedInToken = token || null; }

async function call(method, url, { body, type, token, signal, ifMatch } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (type) headers['Content-Type'] = type;
  const bearer = token || signedInToken;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  // the live version the change was made against: if someone else changed it meanwhile, the server answers 409
  if (ifMatch) headers['If-Match'] = `"${ifMatch}"`;
  let res;
  try {
    res = await fetch(url, { method, headers, body, signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { detail: 'Ranker cannot be reached. Check your connection and try again.' });
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = { detail: text }; }
  if (!res.ok) throw new ApiError(res.status, data);
  return data;
}

const enc = encodeURIComponent;

export const api = {
  policySchema: () => call('GET', '/v1/schemas/policy'),
  surfaces: () => call('GET', '/v1/policies'),
  checkToken: (token) => call('GET', '/v1/admin/token', { token }),
  attributes: () => call('GET', '/v1/catalog/attributes'),
  live: (surface) => call('GET', `/v1/policies/${enc(surface)}`),
  versions: (surface) => call('GET', `/v1/policies/${enc(surface)}/versions`),
  version: (surface, v) => call('GET', `/v1/policies/${enc(surface)}/versions/${enc(v)}`),
  diff: (surface, from, to) => call('GET', `/v1/policies/${enc(surface)}/diff?from=${enc(from)}&to=${enc(to)}`),
  validate: (yaml, signal) => call('POST', '/v1/policies/validate', { body: yaml, type: YAML, signal }),
  preview: (request, policy) => call('POST', '/v1/policies/preview',
    { body: JSON.stringify({ request, policy }), type: 'application/json' }),
  publish: (surface, yaml, { token, author, comment, base }) => call('PUT',
    `/v1/policies/${enc(surface)}?author=${enc(author || '')}&comment=${enc(comment || '')}`,
    { body: yaml, type: YAML, token, ifMatch: base }),
  rollback: (surface, version, { token, author, comment, base }) => call('POST',
    `/v1/policies/${enc(surface)}/rollback?${version ? `version=${enc(version)}&` : ''}author=${enc(author || '')}&comment=${enc(comment || '')}`,
    { token, ifMatch: base }),
  recent: (surface, limit = 20) => call('GET', `/v1/impressions/recent?surface=${enc(surface)}&limit=${limit}`),
  item: (id) => call('GET', `/v1/items/${enc(id)}`),
  startReplay: (body) => call('POST', '/v1/replay', { body: JSON.stringify(body), type: 'application/json' }),
  replay: (jobId) => call('GET', `/v1/replay/${enc(jobId)}`),
};
