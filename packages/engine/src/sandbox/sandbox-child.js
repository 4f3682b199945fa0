'use strict';
/*
 * One sandbox process: runs the handler code of ONE connector bundle for the host (HandlerSandbox).
 * Plain JavaScript on purpose: it starts under Node's permission model with read access to this file
 * only, so it cannot load a TypeScript loader. The host sends the bundle's handler modules and the
 * SDK as compiled source; nothing is read from disk.
 *
 * What holds and why:
 * - files, child processes, worker threads, the inspector, native addons, process.binding: refused by
 *   Node's permission model (--experimental-permission, --allow-fs-read=<this file>) for the whole
 *   process, whatever the code does;
 * - environment: the host starts this process with an empty environment;
 * - network: handler code gets no `require` but the one below (SDK, its own bundle, a short list of
 *   pure Node modules) and `import()` is refused (no dynamic-import callback); as a second wall,
 *   socket connect/listen, UDP and DNS are replaced by functions that throw, and fetch is removed;
 * - process.exit/kill/abort throw; if the process dies anyway, the host fails that call and starts
 *   another process.
 *
 * Messages (JSON over the IPC channel):
 *   host → child  {t:'init', modules:{path:code}, sdk:{path:code}}        once, first message
 *                 {t:'call', id, entry, arg, ctx:{config, secrets?, connector, card, now}}
 *                 {t:'http-result', id, seq, response? , error?}
 *   child → host  {t:'ready'} | {t:'http', id, seq, request, logs?} | {t:'done', id, output, logs?}
 *                 {t:'fail', id, error, logs?}     (logs: [{level, message, fields}] since the last message)
 */
const vm = require('node:vm');
const net = require('node:net');
const dgram = require('node:dgram');
const dns = require('node:dns');

const send = process.send.bind(process);
const realExit = process.reallyExit.bind(process);

const ALLOWED_BUILTINS = new Set([
  'assert',
  'buffer',
  'crypto',
  'events',
  'path',
  'querystring',
  'string_decoder',
  'timers',
  'url',
  'util',
]);

class SandboxDenied extends Error {
  constructor(message) {
    super(message);
    this.name = 'SandboxDenied';
  }
}

function denied(what, hint = '') {
  return function () {
    throw new SandboxDenied(`${what} is not allowed in the connector sandbox${hint}`);
  };
}
const USE_HTTP = '; use ctx.http for HTTP calls';

function lock(target, key, value) {
  Object.defineProperty(target, key, { value, writable: false, configurable: false, enumerable: false });
}

// Second wall for the network: even a leaked real `require` finds no working socket.
lock(net.Socket.prototype, 'connect', denied('Opening a network connection', USE_HTTP));
lock(net.Server.prototype, 'listen', denied('Listening on a port', USE_HTTP));
for (const key of ['bind', 'send', 'connect'])
  lock(dgram.Socket.prototype, key, denied('Using UDP', USE_HTTP));
for (const key of Object.keys(dns)) if (typeof dns[key] === 'function') dns[key] = denied('DNS', USE_HTTP);
for (const key of Object.keys(dns.promises)) {
  if (typeof dns.promises[key] === 'function') dns.promises[key] = denied('DNS', USE_HTTP);
}
for (const key of ['fetch', 'WebSocket', 'EventSource']) {
  if (key in globalThis) delete globalThis[key];
}

// The process: no environment, no way out but returning.
lock(process, 'env', Object.freeze({}));
for (const key of ['exit', 'reallyExit', 'abort', 'kill', 'chdir', 'dlopen', '_kill']) {
  if (key in process) lock(process, key, denied(`process.${key}`));
}
lock(process, 'mainModule', undefined);

let modules = {};
let sdkModules = {};
let current;
let seq = 0;
let logs = [];
const pendingHttp = new Map();

function takeLogs() {
  if (logs.length === 0) return undefined;
  const taken = logs;
  logs = [];
  return taken;
}

function resolveIn(map, from, spec) {
  const base = from.split('/').slice(0, -1);
  for (const part of spec.split('/')) {
    if (part === '..') base.pop();
    else if (part !== '.' && part !== '') base.push(part);
  }
  const path = base.join('/');
  for (const candidate of [path, `${path}.ts`, `${path}.js`, `${path}/index.ts`, `${path}/index.js`]) {
    if (Object.prototype.hasOwnProperty.call(map, candidate)) return candidate;
  }
  return undefined;
}

function loader(map, prefix) {
  const cache = new Map();
  function load(path) {
    const cached = cache.get(path);
    if (cached) return cached.exports;
    const module = { exports: {} };
    cache.set(path, module);
    try {
      const compiled = vm.compileFunction(
        map[path],
        ['exports', 'require', 'module', '__filename', '__dirname'],
        { filename: `${prefix}/${path}` },
      );
      compiled.call(module.exports, module.exports, requireFrom(path), module, path, '.');
    } catch (error) {
      cache.delete(path);
      throw error;
    }
    return module.exports;
  }
  function requireFrom(from) {
    return function require(spec) {
      if (typeof spec !== 'string') throw new TypeError('require() takes a module name');
      if (spec === '@flowcard/sdk') return sdk.load('index.ts');
      if (spec.startsWith('.')) {
        const path = resolveIn(map, from, spec);
        if (path) return load(path);
        throw new SandboxDenied(`module "${spec}" is not part of the connector bundle`);
      }
      if (/^([/\\]|[A-Za-z]:)/.test(spec)) {
        // The path is not echoed: it may name a file of the server.
        throw new SandboxDenied('modules outside the connector bundle are not available to connector code');
      }
      const builtin = spec.startsWith('node:') ? spec.slice(5) : spec;
      if (ALLOWED_BUILTINS.has(builtin)) return require_(`node:${builtin}`);
      throw new SandboxDenied(
        `module "${spec}" is not available to connector code (allowed: @flowcard/sdk, files of the bundle, node:${[...ALLOWED_BUILTINS].join(', node:')})`,
      );
    };
  }
  return { load, clear: () => cache.clear() };
}

const require_ = require;
let sdk = loader({}, 'sdk');
let bundle = loader({}, 'connector');

function errorView(error) {
  if (error === null || typeof error !== 'object') return { name: 'Error', message: String(error) };
  const view = { name: String(error.name || 'Error'), message: String(error.message || '') };
  if (error.code === 'ERR_ACCESS_DENIED') {
    view.name = 'SandboxDenied';
    view.message = `${permissionWhat(error.permission)} is not allowed in the connector sandbox`;
  }
  if (error.code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING') {
    view.name = 'SandboxDenied';
    view.message = 'import() is not available to connector code; import modules at the top of the file';
  }
  if (error.code === 'ERR_DLOPEN_DISABLED') {
    view.name = 'SandboxDenied';
    view.message = 'Loading native addons is not allowed in the connector sandbox';
  }
  for (const key of ['signal', 'code', 'status', 'retryAfterMs', 'permission', 'details']) {
    if (error[key] !== undefined && view.name === 'CardError') view[key] = error[key];
  }
  return view;
}

function permissionWhat(permission) {
  switch (permission) {
    case 'FileSystemRead':
      return 'Reading files';
    case 'FileSystemWrite':
      return 'Writing files';
    case 'ChildProcess':
      return 'Starting a process';
    case 'WorkerThreads':
      return 'Starting a worker thread';
    case 'Inspector':
      return 'Opening the inspector';
    default:
      return 'This operation';
  }
}

function context(call) {
  const offset = call.ctx.now - Date.now();
  const id = call.id;
  // Log lines travel with the call's next message (an HTTP call or the answer): one IPC message less each.
  const log = (level) => (message, fields) => {
    if (current && current.id === id) logs.push({ level, message: String(message), fields });
  };
  const ctx = {
    http: {
      request(request) {
        if (!current || current.id !== id) return Promise.reject(new Error('the step has ended'));
        const n = ++seq;
        return new Promise((resolve, reject) => {
          pendingHttp.set(n, { resolve, reject });
          send({ t: 'http', id, seq: n, request, logs: takeLogs() });
        });
      },
    },
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    clock: { now: () => new Date(Date.now() + offset) },
    config: Object.freeze({ ...call.ctx.config }),
    connector: call.ctx.connector,
    card: call.ctx.card,
  };
  if (call.ctx.secrets) ctx.secrets = Object.freeze({ ...call.ctx.secrets });
  return ctx;
}

function finish(id, message) {
  if (!current || current.id !== id) return;
  current = undefined;
  for (const pending of pendingHttp.values()) pending.reject(new Error('the step has ended'));
  pendingHttp.clear();
  message.logs = takeLogs();
  try {
    send(message);
  } catch (error) {
    send({
      t: 'fail',
      id,
      error: { name: 'TypeError', message: `the output is not JSON: ${error.message}` },
    });
  }
}

async function run(call) {
  current = call;
  logs = [];
  let handler;
  try {
    const loaded = bundle.load(call.entry);
    handler = typeof loaded === 'function' ? loaded : loaded && loaded.default;
  } catch (error) {
    finish(call.id, { t: 'fail', id: call.id, phase: 'import', error: errorView(error) });
    return;
  }
  if (typeof handler !== 'function') {
    finish(call.id, { t: 'fail', id: call.id, phase: 'export', error: { name: 'Error', message: '' } });
    return;
  }
  try {
    const output = await handler(context(call), call.arg);
    finish(call.id, { t: 'done', id: call.id, output: output === undefined ? null : output });
  } catch (error) {
    finish(call.id, { t: 'fail', id: call.id, error: errorView(error) });
  }
}

function httpResult(message) {
  const pending = pendingHttp.get(message.seq);
  if (!pending) return;
  pendingHttp.delete(message.seq);
  if (message.response) return pending.resolve(message.response);
  const { CardError } = sdk.load('index.ts');
  const { signal, message: text, ...rest } = message.error;
  pending.reject(new CardError(signal, text, rest));
}

process.on('message', (message) => {
  if (message.t === 'init') {
    modules = message.modules;
    sdkModules = message.sdk;
    sdk = loader(sdkModules, 'sdk');
    bundle = loader(modules, 'connector');
    send({ t: 'ready' });
  } else if (message.t === 'call') void run(message);
  else if (message.t === 'http-result') httpResult(message);
});

// Code left running after its call (a rejected promise, a throwing timer) fails the call in flight,
// then this process ends: the host starts a clean one.
function fatal(error) {
  if (current) finish(current.id, { t: 'fail', id: current.id, error: errorView(error) });
  realExit(70);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
process.on('disconnect', () => realExit(0));
