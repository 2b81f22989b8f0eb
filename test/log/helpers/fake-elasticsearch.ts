// A small HTTP server speaking Elasticsearch's `_bulk` request/response shape, for the shipper's tests
// (no Elasticsearch can be installed here). Stores documents by index and id, like `create` does.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'http429' | 'http503' | 'item429';

export interface FakeElasticsearch {
  url: string;
  /** `<index>/<id>` -> source. */
  docs: Map<string, Record<string, unknown>>;
  /** Every `_bulk` request body received, parsed. */
  requests: { action: Record<string, { _index: string; _id: string }>; source: Record<string, unknown> }[][];
  /** Faults applied to the next requests, one per request. */
  faults: Fault[];
  /** When set, every request answers 503. */
  down: boolean;
  close(): Promise<void>;
}

export async function startFakeElasticsearch(): Promise<FakeElasticsearch> {
  const fake: FakeElasticsearch = {
    url: '',
    docs: new Map(),
    requests: [],
    faults: [],
    down: false,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method !== 'POST' || req.url !== '/_bulk') return reply(404, { error: 'not found' });
      if (req.headers['content-type'] !== 'application/x-ndjson') return reply(406, { error: 'Content-Type header [' + req.headers['content-type'] + '] is not supported' });
      const lines = body.split('\n');
      if (lines.pop() !== '') return reply(400, { error: { type: 'illegal_argument_exception', reason: 'The bulk request must be terminated by a newline [\\n]' } });
      const pairs: FakeElasticsearch['requests'][number] = [];
      for (let i = 0; i < lines.length; i += 2) pairs.push({ action: JSON.parse(lines[i]), source: JSON.parse(lines[i + 1]) });
      fake.requests.push(pairs);
      const fault = fake.faults.shift();
      if (fake.down || fault === 'http503') return reply(503, { error: { type: 'unavailable_shards_exception' }, status: 503 });
      if (fault === 'http429') return reply(429, { error: { type: 'es_rejected_execution_exception', reason: 'rejected execution' }, status: 429 });
      let errors = false;
      const items = pairs.map(({ action, source }, i) => {
        const { _index, _id } = action.create;
        if (fault === 'item429' && i % 2 === 0) {
          errors = true;
          return { create: { _index, _id, status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } };
        }
        if (source.reject === true) {
          errors = true;
          return { create: { _index, _id, status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [reject]' } } };
        }
        const key = `${_index}/${_id}`;
        if (fake.docs.has(key)) {
          errors = true;
          return { create: { _index, _id, status: 409, error: { type: 'version_conflict_engine_exception', reason: 'document already exists' } } };
        }
        fake.docs.set(key, source);
        return { create: { _index, _id, _version: 1, result: 'created', status: 201 } };
      });
      reply(200, { took: 1, errors, items });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
