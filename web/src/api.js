// The page's only way to parley's API: JSON over fetch, problem+json errors turned into
// ApiError, and the server's rate limit (429) or queue (503) waited out as it asks.

export const API = '/api/v1';

// ApiError carries an RFC 9457 problem: its detail and per-field errors.
export class ApiError extends Error {
  constructor(status, problem, url) {
    const fields = (problem && problem.errors) || [];
    const text = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : (problem && (problem.detail || problem.title)) || `HTTP ${status}`;
    super(text);
    this.status = status;
    this.problem = problem || {};
    this.fields = fields;
    this.url = url;
  }
}

// apiURL joins a path under /api/v1 and parameters (URLSearchParams or an object whose
// array values repeat).
export function apiURL(path, params) {
  const q = params instanceof URLSearchParams ? new URLSearchParams(params) : new URLSearchParams();
  if (!(params instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(params || {})) {
      for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined && x !== null && x !== '') q.append(k, x);
    }
  }
  const s = q.toString();
  return API + path + (s ? '?' + s : '');
}

const sleep = (ms, signal) => new Promise((resolve, reject) => {
  const t = setTimeout(resolve, ms);
  if (signal) signal.addEventListener('abort', () => { clearTimeout(t); reject(signal.reason); }, { once: true });
});

// getJSON fetches a JSON document: {body, headers}. AbortError propagates when signal
// aborts; a 429 or 503 is retried (up to 4 times) after the Retry-After it names.
export async function getJSON(path, params, { signal } = {}) {
  const url = apiURL(path, params);
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
    if ((res.status === 429 || res.status === 503) && attempt < 4) {
      const wait = Number(res.headers.get('Retry-After')) || 1;
      await sleep(Math.min(wait, 5) * 1000, signal);
      continue;
    }
    if (!res.ok) {
      let problem = null;
      try { problem = await res.json(); } catch { /* not JSON */ }
      throw new ApiError(res.status, problem, url);
    }
    return { body: await res.json(), headers: res.headers };
  }
}

// hasNext reports whether a response's Link header names a next page.
export function hasNext(headers) {
  return /rel="?next"?/.test(headers.get('Link') || '');
}

// isAbort tells a cancelled request from a failure.
export function isAbort(e) {
  return e && (e.name === 'AbortError' || (e instanceof DOMException && e.code === 20));
}
