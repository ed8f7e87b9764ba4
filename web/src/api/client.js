// The one HTTP client of the web UI. Every API call goes through request():
//  - cookie session (credentials: 'same-origin'), JSON in and out;
//  - X-CSRF-Token on state-changing methods (token kept in memory only, from login or /auth/me);
//  - Accept-Language from the current UI locale;
//  - errors {error:{code,message,fields}} become ApiError, shown with ElMessage unless quiet;
//  - 401 unauthenticated → login page; 403 password_change_required → forced change page.
import { ElMessage } from 'element-plus'
import { i18n } from '@/i18n'

const API = '/api/v1'
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

let csrfToken = ''
let handlers = { unauthenticated: null, passwordChange: null }

export class ApiError extends Error {
  constructor(status, code, message, fields) {
    super(message || code)
    this.name = 'ApiError'
    this.status = status   // HTTP status, 0 for network failure
    this.code = code       // contract error code: invalid, stale_version, in_use, ...
    this.fields = fields || {} // field name → message (code invalid)
  }
}

export function setCsrfToken(token) { csrfToken = token || '' }

// The router registers what to do when the session is gone or a password change is due;
// kept as callbacks so this module does not import the router (no import cycle).
export function setAuthHandlers(h) { handlers = { ...handlers, ...h } }

export function buildQuery(params) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '') continue
    q.append(k, String(v))
  }
  const s = q.toString()
  return s ? `?${s}` : ''
}

export function apiUrl(path, query) { return API + path + buildQuery(query) }

function t(key) { return i18n.global.t(key) }

// Toasts an API error in the user's words (the server's message, or a general one).
export function showError(err) {
  let msg = err.message
  if (err.code === 'stale_version') msg = t('error.stale_version')
  else if (err.status === 0) msg = t('error.network')
  else if (!msg || msg === err.code) msg = t('error.generic')
  ElMessage({ type: 'error', message: msg, grouping: true, showClose: true })
}

// request(method, path, {query, body, quiet, retried}) → parsed JSON body.
// quiet: do not toast (the caller shows the error inline, e.g. the login form).
export async function request(method, path, opts = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': i18n.global.locale.value }
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' }
  if (opts.form !== undefined) {
    init.body = opts.form // FormData: the browser sets the multipart boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(opts.body)
  }
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let res
  try {
    res = await fetch(apiUrl(path, opts.query), init)
  } catch (e) {
    const err = new ApiError(0, 'network', t('error.network'))
    if (!opts.quiet) showError(err)
    throw err
  }

  let data = null
  const ctype = res.headers.get('Content-Type') || ''
  if (ctype.includes('application/json')) {
    try { data = await res.json() } catch { data = null }
  }
  if (res.ok) return data ?? {}

  const e = (data && data.error) || {}
  const err = new ApiError(res.status, e.code || `http_${res.status}`, e.message, e.fields)

  // A stale CSRF token (e.g. after the session was renewed elsewhere): refresh once, retry.
  if (err.code === 'csrf_failed' && !opts.retried) {
    try {
      const me = await request('GET', '/auth/me', { quiet: true })
      setCsrfToken(me.csrf_token)
      return await request(method, path, { ...opts, retried: true })
    } catch { /* fall through to the original error */ }
  }
  const probe = path === '/auth/me' || path === '/auth/login'
  if (err.code === 'unauthenticated' && handlers.unauthenticated && !probe) {
    handlers.unauthenticated(path)
    if (!opts.quiet) {
      ElMessage({ type: 'warning', message: t('error.session_expired'), grouping: true })
    }
    throw err
  }
  if (err.code === 'password_change_required' && handlers.passwordChange) {
    handlers.passwordChange()
    throw err
  }
  if (!opts.quiet) showError(err)
  throw err
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  post: (path, body, opts) => request('POST', path, { ...opts, body: body ?? {} }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body: body ?? {} }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body: body ?? {} }),
  del: (path, query, opts) => request('DELETE', path, { ...opts, query }),
  // multipart upload of one file as part `field` (POST /files answers 201 {id, name, size, mime})
  upload: (path, file, opts = {}) => {
    const form = new FormData()
    form.append(opts.field || 'file', file, file.name)
    return request('POST', path, { ...opts, form })
  },
}

export function isInvalidTransition(err) { return err instanceof ApiError && err.code === 'invalid_transition' }

// Copies err.fields into a reactive {field: message} object bound to el-form-item :error.
export function applyFieldErrors(err, target) {
  for (const k of Object.keys(target)) delete target[k]
  if (err && err.fields) Object.assign(target, err.fields)
}

export function isStale(err) { return err instanceof ApiError && err.code === 'stale_version' }
