// The HTTP upload receiver: PUT/POST bodies streamed to `<name>.<rand>.t` and renamed, so a watcher never sees a partial file.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from '../log/mflog';
import { bearerMatches } from './token';
import { postTarget, putTarget, ReceiverRequestError, type TargetRules, type UploadTarget } from './target';
import { moveIntoInbox } from '../tags/inbox-name';

export interface ReceiverOptions extends TargetRules {
  /** Bodies longer than this are refused with 413. */
  maxBodyBytes: number;
  log: Logger;
  /** When set, every request must carry `Authorization: Bearer <token>` ([http_receiver] token_file). */
  token?: Buffer;
}

/** Counts the body and fails the pipeline past the limit (a chunked body has no Content-Length to check first). */
class SizeLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(new ReceiverRequestError(413, `body larger than ${this.limit} bytes`));
    else done(null, chunk);
  }
}

/** The client closed the connection before the whole body arrived: nothing to answer, nothing kept. */
class UploadAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UploadAbortedError';
  }
}

/** ENOSPC / EDQUOT: the disk is full, which the client may retry later (507); anything else is ours (500). */
function diskStatus(err: unknown): number {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 507 : 500;
}

function reply(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Refuses a request whose body we will not read: answer, then close the connection so the client stops sending. */
function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string, headers: http.OutgoingHttpHeaders = {}): void {
  reply(res, status, { error: message }, { connection: 'close', ...headers });
  req.resume();
}

/** Streams the body to a temporary name, then moves it to its name (never over a waiting file); returns its size and path. */
async function store(req: http.IncomingMessage, target: UploadTarget, opts: ReceiverOptions): Promise<{ bytes: number; file: string }> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > opts.maxBodyBytes) throw new ReceiverRequestError(413, `body of ${declared} bytes is larger than max_body_mb (${opts.maxBodyBytes} bytes)`);
  try {
    if (!fs.statSync(target.dir).isDirectory()) throw new ReceiverRequestError(404, `${target.dir} is not a directory`);
  } catch (err) {
    if (err instanceof ReceiverRequestError) throw err;
    throw new ReceiverRequestError(404, `no directory ${target.dir}: create it (a step's watched directory is created when the runtime starts)`);
  }
  // Ends in .t, which the observer ignores; the random part keeps two concurrent PUTs of one name apart.
  const temp = path.join(target.dir, `${target.name}.${randomBytes(4).toString('hex')}.t`);
  const limit = new SizeLimit(opts.maxBodyBytes);
  // req is piped by hand, not given to pipeline(): pipeline would destroy it on a 413 and the answer would be lost.
  const onClose = (): void => {
    if (!req.complete) limit.destroy(new UploadAbortedError(`client went away after ${limit.bytes} bytes`));
  };
  req.once('close', onClose);
  req.on('error', (err) => limit.destroy(new UploadAbortedError(err.message)));
  req.pipe(limit);
  try {
    await pipeline(limit, fs.createWriteStream(temp, { flags: 'wx', mode: 0o644 }));
    // A file of that name still waiting to be processed is never replaced (a second upload of `obs.csv` becomes
    // `obs.<8 hex>.csv`, runtime/tags/inbox-name.ts): the answer's Location names where it went.
    const file = await moveIntoInbox(path.join(target.dir, target.name), (dst) => fs.promises.rename(temp, dst));
    return { bytes: limit.bytes, file };
  } catch (err) {
    req.unpipe(limit);
    fs.rmSync(temp, { force: true });
    throw err;
  } finally {
    req.off('close', onClose);
  }
}

/** Answers 401 and returns false when a token is configured and the request does not carry it; the token is never logged. */
function authorized(req: http.IncomingMessage, res: http.ServerResponse, opts: ReceiverOptions): boolean {
  if (!opts.token || bearerMatches(req.headers.authorization, opts.token)) return true;
  const reason = req.headers.authorization === undefined ? 'no Authorization header' : 'wrong bearer token';
  opts.log.warning('unauthorized', { method: req.method ?? '', url: req.url ?? '/', remote: req.socket.remoteAddress ?? 'unix', status: 401, reason });
  refuse(req, res, 401, `${reason}: send Authorization: Bearer <token> ([http_receiver] token_file)`, { 'www-authenticate': 'Bearer' });
  return false;
}

/** The request handler: one upload per request, every outcome logged as one mflog record. */
export function receiverHandler(opts: ReceiverOptions): http.RequestListener {
  const { log } = opts;
  return (req, res) => {
    const url = req.url ?? '/';
    const fields = { method: req.method ?? '', url, remote: req.socket.remoteAddress ?? 'unix' };
    if (!authorized(req, res, opts)) return;
    if (req.method === 'GET' && url.split('?', 1)[0] === '/healthz') return reply(res, 200, { status: 'ok' });
    if (req.method !== 'PUT' && req.method !== 'POST') {
      log.warning('method not allowed', { ...fields, status: 405 });
      return refuse(req, res, 405, `${req.method} is not accepted: PUT /<name>, PUT /<dir>/<name>, POST / or POST /<dir>`, { allow: 'PUT, POST' });
    }
    let target: UploadTarget;
    try {
      target = req.method === 'PUT' ? putTarget(opts, url) : postTarget(opts, url);
    } catch (err) {
      const status = err instanceof ReceiverRequestError ? err.status : 400;
      log.warning('upload refused', { ...fields, status, reason: (err as Error).message });
      return refuse(req, res, status, (err as Error).message);
    }
    const wanted = path.join(target.dir, target.name);
    store(req, target, opts).then(
      ({ bytes, file }) => {
        const location = file === wanted ? target.location : target.location.replace(/[^/]*$/, encodeURIComponent(path.basename(file)));
        log.info('file received', { ...fields, file, bytes, status: 201 });
        reply(res, 201, { location, file, bytes }, { location });
      },
      (err: unknown) => {
        if (err instanceof UploadAbortedError) {
          log.warning('upload aborted by the client', { ...fields, file: wanted, reason: (err as Error).message });
          return;
        }
        if (err instanceof ReceiverRequestError) {
          log.warning('upload refused', { ...fields, file: wanted, status: err.status, reason: err.message });
          return refuse(req, res, err.status, err.message);
        }
        const status = diskStatus(err);
        log.exception('upload failed', err, { ...fields, file: wanted, status });
        refuse(req, res, status, `cannot store ${target.name}: ${(err as Error).message}`);
      },
    );
  };
}

/** An http.Server running the receiver (listen() is the caller's: TCP, unix socket or both). */
export function createReceiverServer(opts: ReceiverOptions): http.Server {
  const handler = receiverHandler(opts);
  const server = http.createServer(handler);
  // `Expect: 100-continue`: a body declared too large is refused before the client sends it (curl does this for big uploads).
  server.on('checkContinue', (req: http.IncomingMessage, res: http.ServerResponse) => {
    // Refused before the client sends a byte of the body.
    if (!authorized(req, res, opts)) return;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > opts.maxBodyBytes && (req.method === 'PUT' || req.method === 'POST')) {
      opts.log.warning('upload refused', { method: req.method, url: req.url ?? '/', status: 413, reason: `body of ${declared} bytes declared` });
      return reply(res, 413, { error: `body of ${declared} bytes is larger than max_body_mb (${opts.maxBodyBytes} bytes)` }, { connection: 'close' });
    }
    res.writeContinue();
    handler(req, res);
  });
  // Uploads can be slow: no per-request deadline beyond node's header timeout.
  server.requestTimeout = 0;
  return server;
}
