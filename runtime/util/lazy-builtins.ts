// Node built-in modules that most workers never use, required at their first use instead of when the bundle loads.
// Why: loading a built-in costs CPU at every process start (node:http with node:https and node:tls ~10–20 ms, zlib,
// child_process, dgram ~1 ms each, measured with --cpu-prof in docs/BENCHMARKS.md), and a worker without an
// InfluxDB or statsd sink, ungzip, fork or libmagic needs none of them. require() caches: later calls cost a lookup.
/* eslint-disable @typescript-eslint/no-require-imports */

export const lazyBuiltins = {
  http: (): typeof import('node:http') => require('node:http') as typeof import('node:http'),
  https: (): typeof import('node:https') => require('node:https') as typeof import('node:https'),
  dgram: (): typeof import('node:dgram') => require('node:dgram') as typeof import('node:dgram'),
  dns: (): typeof import('node:dns') => require('node:dns') as typeof import('node:dns'),
  zlib: (): typeof import('node:zlib') => require('node:zlib') as typeof import('node:zlib'),
  childProcess: (): typeof import('node:child_process') => require('node:child_process') as typeof import('node:child_process'),
  workerThreads: (): typeof import('node:worker_threads') => require('node:worker_threads') as typeof import('node:worker_threads'),
};
