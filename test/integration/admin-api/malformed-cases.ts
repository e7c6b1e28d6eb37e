import { validConfig } from './test-app.ts'

/**
 * Hand-written bad requests, each with the 4xx it must get. They assume a RUNNING connector
 * named "a". Shared by the inject test and the real-server test.
 */
export interface BadRequest {
  label: string
  method: string
  url: string
  payload?: string
  contentType?: string
  status: number
  code?: string
  message?: RegExp
  /** fetch refuses to send it (TRACE), so only inject can. */
  injectOnly?: boolean
}

const json = (value: unknown): string => JSON.stringify(value)
const config = validConfig()
const megabyte = 'x'.repeat(1_000_000)

function post(
  label: string,
  body: unknown,
  status: number,
  message?: RegExp,
  code?: string,
): BadRequest {
  return {
    label: `POST /connectors ${label}`,
    method: 'POST',
    url: '/connectors',
    payload: typeof body === 'string' ? body : json(body),
    status,
    ...(message === undefined ? {} : { message }),
    ...(code === undefined ? {} : { code }),
  }
}

const createBodies: BadRequest[] = [
  post('empty object', {}, 400, /missing the required field "name"/),
  post('no config', { name: 'x' }, 400, /missing the required field "config"/),
  post('no name', { config }, 400, /missing the required field "name"/),
  ...[1, null, [], {}, true].map((name) =>
    post(`name ${json(name)}`, { name, config }, 400, /body\.name must be a string/),
  ),
  ...['str', [], null, 1, false].map((value) =>
    post(
      `config ${json(value)}`,
      { name: 'x', config: value },
      400,
      /body\.config must be an object/,
    ),
  ),
  ...[{}, [1], null].map((value) =>
    post(
      `config value ${json(value)}`,
      { name: 'x', config: { ...config, k: value } },
      400,
      /body\.config\.k must be a string, a number or a boolean/,
    ),
  ),
  post('unknown top-level field', { name: 'x', config, tasks: [] }, 400, /unknown field "tasks"/),
  post(
    'two unknown fields',
    { name: 'x', config, a: 1, b: 2 },
    400,
    /unknown field "a".*unknown field "b"/,
  ),
  post('empty name', { name: '', config }, 400, /must not be empty/),
  post('blank name', { name: '   ', config }, 400, /must not be empty/),
  post('name with slash', { name: 'a/b', config }, 400, /must not contain '\/'/),
  post('name with NUL', { name: 'a\u0000b', config }, 400, /control characters/),
  post('name with newline', { name: 'a\nb', config }, 400, /control characters/),
  post('name with DEL', { name: 'a\u007f', config }, 400, /control characters/),
  post('name with NEL', { name: 'a\u0085', config }, 400, /control characters/),
  post('name with lone surrogate', '{"name": "a\\ud800", "config": {}}', 400, /surrogates/),
  post('name "."', { name: '.', config }, 400, /cannot be '\.'/),
  post('name ".."', { name: '..', config }, 400, /cannot be '\.\.'/),
  post('name of 250 characters', { name: 'n'.repeat(250), config }, 400, /at most 249/),
  post('name of 1 MB', { name: megabyte, config }, 400, /at most 249/),
  post(
    'unknown connector.class',
    { name: 'x', config: { ...config, 'connector.class': 'oracle' } },
    404,
    undefined,
    'CDC_API_PLUGIN_NOT_FOUND',
  ),
  post(
    '1 MB connector.class',
    { name: 'x', config: { ...config, 'connector.class': megabyte } },
    404,
    undefined,
    'CDC_API_PLUGIN_NOT_FOUND',
  ),
  post(
    'no connector.class',
    { name: 'x', config: { 'topic.prefix': 'p' } },
    404,
    undefined,
    'CDC_API_PLUGIN_NOT_FOUND',
  ),
  post(
    '1 MB config value',
    { name: 'x', config: { ...config, 'database.port': megabyte } },
    400,
    /database\.port: must be an integer/,
    'CDC_CONFIG_INVALID',
  ),
  post(
    'invalid fields',
    { name: 'x', config: { ...config, 'database.port': 'p', zzz: '1' } },
    400,
    /zzz: is not a known setting/,
    'CDC_CONFIG_INVALID',
  ),
  post('existing name', { name: 'a', config }, 409, undefined, 'CDC_API_CONNECTOR_EXISTS'),
  post('name mismatch', { name: 'x', config: { ...config, name: 'y' } }, 400, /doesn't match/),
  post(
    'initial_state PAUSED',
    { name: 'x', config, initial_state: 'PAUSED' },
    400,
    /not supported/,
  ),
  post(
    'initial_state STOPPED',
    { name: 'x', config, initial_state: 'stopped' },
    400,
    /not supported/,
  ),
  post(
    'initial_state garbage',
    { name: 'x', config, initial_state: 'FLYING' },
    400,
    /RUNNING, PAUSED or STOPPED/,
  ),
  post(
    'initial_state number',
    { name: 'x', config, initial_state: 5 },
    400,
    /initial_state must be a string/,
  ),
  post(
    'masked secret on create',
    { name: 'x', config: { ...config, 'database.password': '[hidden]' } },
    400,
    /\[hidden\]/,
  ),
]

const invalidJson = [
  '{',
  '{"name":',
  'nul',
  '[',
  "{'name': 'x'}",
  '{"name": "x",}',
  '{"a":1}}',
  '{"a":1}{"b":2}',
  'undefined',
  '\u0000',
  '{"name": "x" "config": {}}',
  '\ufeff{}',
  '{"a": NaN}',
  '{"a": 01}',
  '{"a": "\u0001"}',
].map((body) => post(`invalid JSON ${json(body)}`, body, 400, /not valid JSON/))

const notObjects = ['[]', '"str"', '1', 'null', 'true'].map((body) =>
  post(`JSON ${body}`, body, 400, /body must be an object/),
)

const prototypeKeys = [
  '{"__proto__": {"x": 1}}',
  '{"constructor": {"prototype": {}}}',
  '{"name":"x","config":{"__proto__":"y"}}',
].map((body) => post(`prototype key ${body}`, body, 400, /prototype pollution/))

const contentTypes: BadRequest[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
].map((contentType) => ({
  label: `POST /connectors as ${contentType}`,
  method: 'POST',
  url: '/connectors',
  payload: json({ name: 'x', config }),
  contentType,
  status: 415,
  code: 'CDC_API_UNSUPPORTED_MEDIA_TYPE',
}))

const sizes: BadRequest[] = [
  {
    label: 'POST /connectors with a 2 MB body',
    method: 'POST',
    url: '/connectors',
    payload: json({ name: 'x', config: { ...config, big: megabyte + megabyte } }),
    status: 413,
    code: 'CDC_API_BODY_TOO_LARGE',
  },
]

function put(
  label: string,
  url: string,
  body: unknown,
  status: number,
  message?: RegExp,
  code?: string,
): BadRequest {
  return {
    label: `PUT ${url} ${label}`,
    method: 'PUT',
    url,
    payload: typeof body === 'string' ? body : json(body),
    status,
    ...(message === undefined ? {} : { message }),
    ...(code === undefined ? {} : { code }),
  }
}

const putConfigs: BadRequest[] = [
  ...[[], 'x', 1, null, true].map((body) =>
    put(`body ${json(body)}`, '/connectors/a/config', json(body), 400, /body must be an object/),
  ),
  ...[{}, [1], null].map((value) =>
    put(
      `value ${json(value)}`,
      '/connectors/a/config',
      { ...config, k: value },
      400,
      /body\.k must be/,
    ),
  ),
  put('name mismatch', '/connectors/a/config', { ...config, name: 'b' }, 400, /doesn't match/),
  put('no connector.class', '/connectors/a/config', {}, 404, undefined, 'CDC_API_PLUGIN_NOT_FOUND'),
  put(
    'invalid config',
    '/connectors/a/config',
    { ...config, 'database.port': 'x' },
    400,
    undefined,
    'CDC_CONFIG_INVALID',
  ),
  put('name with slash', '/connectors/a%2Fb/config', config, 400, /'\/'/),
  put('no body', '/connectors/a/config', '', 400, /body must be an object/),
  put(
    'validate unknown plugin',
    '/connector-plugins/oracle/config/validate',
    {},
    404,
    undefined,
    'CDC_API_PLUGIN_NOT_FOUND',
  ),
  put(
    'validate class mismatch',
    '/connector-plugins/postgres/config/validate',
    { 'connector.class': 'mysql' },
    400,
    /does not match/,
  ),
  put(
    'validate array',
    '/connector-plugins/postgres/config/validate',
    [],
    400,
    /body must be an object/,
  ),
  put(
    'validate no body',
    '/connector-plugins/postgres/config/validate',
    '',
    400,
    /body must be an object/,
  ),
]

function patchOffsets(
  label: string,
  body: unknown,
  status: number,
  message?: RegExp,
  code?: string,
): BadRequest {
  return {
    label: `PATCH offsets ${label}`,
    method: 'PATCH',
    url: '/connectors/a/offsets',
    payload: json(body),
    status,
    ...(message === undefined ? {} : { message }),
    ...(code === undefined ? {} : { code }),
  }
}

const offsets: BadRequest[] = [
  patchOffsets('{}', {}, 400, /missing the required field "offsets"/),
  patchOffsets('offsets object', { offsets: {} }, 400, /body\.offsets must be an array/),
  patchOffsets('offsets empty', { offsets: [] }, 400, /fewer than 1 items/),
  patchOffsets('entry empty', { offsets: [{}] }, 400, /missing the required field "partition"/),
  patchOffsets(
    'partition number',
    { offsets: [{ partition: { a: 1 }, offset: null }] },
    400,
    /partition\.a must be a string/,
  ),
  patchOffsets(
    'offset string',
    { offsets: [{ partition: {}, offset: 'x' }] },
    400,
    /offset must be an object or null/,
  ),
  patchOffsets(
    'entry extra field',
    { offsets: [{ partition: {}, offset: null, x: 1 }] },
    400,
    /unknown field "x"/,
  ),
  patchOffsets(
    'top-level extra field',
    { offsets: [{ partition: {}, offset: null }], more: 1 },
    400,
    /unknown field "more"/,
  ),
  patchOffsets(
    'while RUNNING',
    { offsets: [{ partition: { server: 's' }, offset: { lsn: 1 } }] },
    409,
    undefined,
    'CDC_API_CONFLICT',
  ),
  {
    label: 'DELETE offsets while RUNNING',
    method: 'DELETE',
    url: '/connectors/a/offsets',
    status: 409,
    code: 'CDC_API_CONFLICT',
  },
]

const snapshot = (label: string, body: unknown, message?: RegExp): BadRequest => ({
  label: `POST snapshots ${label}`,
  method: 'POST',
  url: '/connectors/a/snapshots',
  payload: typeof body === 'string' ? body : json(body),
  status: 400,
  ...(message === undefined ? {} : { message }),
})

const snapshots: BadRequest[] = [
  snapshot('{}', {}, /needs "data-collections"/),
  snapshot('empty list', { tables: [] }, /fewer than 1 items/),
  snapshot('number table', { 'data-collections': [1] }, /must be a string/),
  snapshot('empty table name', { tables: [''] }, /fewer than 1 characters/),
  snapshot('tables string', { tables: 'public.orders' }, /must be an array/),
  snapshot('unknown field', { table: ['x'] }, /unknown field "table"/),
  snapshot('incremental', { tables: ['x'], type: 'incremental' }, /not supported/),
  snapshot('type number', { tables: ['x'], type: 1 }, /must be a string/),
  snapshot('no body', '', /body must be an object/),
  snapshot('both lists', { tables: ['x'], 'data-collections': ['y'] }, /not both/),
]

const get = (url: string, status: number, message?: RegExp, code?: string): BadRequest => ({
  label: `GET ${url.length > 80 ? `${url.slice(0, 80)}…` : url}`,
  method: 'GET',
  url,
  status,
  ...(message === undefined ? {} : { message }),
  ...(code === undefined ? {} : { code }),
})

const queries: BadRequest[] = [
  {
    label: 'restart includeTasks=yes',
    method: 'POST',
    url: '/connectors/a/restart?includeTasks=yes',
    status: 400,
    message: /"includeTasks" must be one of/,
  },
  {
    label: 'restart onlyFailed=1',
    method: 'POST',
    url: '/connectors/a/restart?onlyFailed=1',
    status: 400,
    message: /"onlyFailed"/,
  },
  get('/connectors?expand=foo', 400, /"expand"/),
  get('/connectors?expand=status&expand=bad', 400, /"expand"/),
  get('/connector-plugins?connectorsOnly=maybe', 400, /"connectorsOnly"/),
]

const paths: BadRequest[] = [
  get('/connectors/a%2Fb', 400, /'\/'/),
  get('/connectors/a%00', 400, /control/),
  get('/connectors/a%0Ab/status', 400, /control/),
  get('/connectors/%7F', 400, /control/),
  get('/connectors/%C2%85', 400, /control/),
  get('/connectors/%E0%A4%A', 400, /percent-encoded/),
  get('/connectors/%ZZ', 400, /percent-encoded/),
  get('/connectors/%', 400, /percent-encoded/),
  get('/connectors/%C0%AF', 400, /percent-encoded/),
  get(`/connectors/${'n'.repeat(250)}`, 400, /at most 249/),
  get(`/connectors/${'n'.repeat(4000)}/status`, 400, /too long/),
  get(`/connectors/${'%F0%9F%9A%80'.repeat(250)}`, 400, /at most 249/),
  get('/connectors/a/tasks/abc/status', 400, /"task"/),
  get('/connectors/a/tasks/-1/status', 400, /"task"/),
  get('/connectors/a/tasks/1.5/status', 400, /"task"/),
  get('/connectors/a/tasks/99999999999/status', 400, /"task"/),
  get('/connectors/a/tasks/5/status', 404, undefined, 'CDC_API_TASK_NOT_FOUND'),
  get('/connectors/nope', 404, /nope/, 'CDC_API_CONNECTOR_NOT_FOUND'),
  get('/connectors/nope/status', 404, undefined, 'CDC_API_CONNECTOR_NOT_FOUND'),
  get('/connectors/%22quoted%22/config', 404, undefined, 'CDC_API_CONNECTOR_NOT_FOUND'),
  get('/connectors/%F0%9F%9A%80/lag', 404, undefined, 'CDC_API_CONNECTOR_NOT_FOUND'),
  get('/foo', 404, /No endpoint answers GET \/foo/, 'CDC_API_ROUTE_NOT_FOUND'),
  get('/connectors/a/b/c', 404, undefined, 'CDC_API_ROUTE_NOT_FOUND'),
  get('/connector-plugins/x/y', 404, undefined, 'CDC_API_ROUTE_NOT_FOUND'),
  get('/connectors/a/tasks/0', 404, undefined, 'CDC_API_ROUTE_NOT_FOUND'),
  get('/docs/static/no-such-file.css', 404),
]

const wrongMethod = (
  method: string,
  url: string,
  allow: string,
  injectOnly = false,
): BadRequest => ({
  label: `${method} ${url}`,
  method,
  url,
  status: 405,
  code: 'CDC_API_METHOD_NOT_ALLOWED',
  message: new RegExp(`accepts ${allow}\\.$`),
  ...(injectOnly ? { injectOnly } : {}),
})

const methods: BadRequest[] = [
  wrongMethod('DELETE', '/connectors', 'GET, HEAD, POST'),
  wrongMethod('PUT', '/connectors', 'GET, HEAD, POST'),
  wrongMethod('PATCH', '/', 'GET, HEAD'),
  wrongMethod('POST', '/', 'GET, HEAD'),
  wrongMethod('POST', '/connectors/a', 'DELETE, GET, HEAD'),
  wrongMethod('PATCH', '/connectors/a', 'DELETE, GET, HEAD'),
  wrongMethod('GET', '/connectors/a/pause', 'PUT'),
  wrongMethod('POST', '/connectors/a/pause', 'PUT'),
  wrongMethod('GET', '/connectors/a/restart', 'POST'),
  wrongMethod('PUT', '/connectors/a/restart', 'POST'),
  wrongMethod('DELETE', '/health', 'GET, HEAD'),
  wrongMethod('POST', '/metrics', 'GET, HEAD'),
  wrongMethod('PUT', '/connector-plugins', 'GET, HEAD'),
  wrongMethod('GET', '/connector-plugins/postgres/config/validate', 'PUT'),
  wrongMethod('POST', '/connectors/a/config', 'GET, HEAD, PUT'),
  wrongMethod('GET', '/connectors/a/snapshots', 'POST'),
  wrongMethod('PUT', '/connectors/a/offsets', 'DELETE, GET, HEAD, PATCH'),
  wrongMethod('OPTIONS', '/connectors', 'GET, HEAD, POST'),
  wrongMethod('TRACE', '/connectors/a', 'DELETE, GET, HEAD', true),
]

export const badRequests: readonly BadRequest[] = [
  ...createBodies,
  ...invalidJson,
  ...notObjects,
  ...prototypeKeys,
  ...contentTypes,
  ...sizes,
  ...putConfigs,
  ...offsets,
  ...snapshots,
  ...queries,
  ...paths,
  ...methods,
]
