// A tiny real HTTP proxy in front of the S3 server that breaks the requests a test picks, as
// a flaky network or an overloaded service would: the connection cut mid-body, a 500, or a
// slow answer.
// Everything else is forwarded byte for byte (the Host header too, so signatures still match).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** How to break one request; null forwards it untouched. */
export type Fault = 'reset' | '500' | { delayMs: number } | null;

export interface SeenRequest {
  method: string;
  url: string;
  fault: Fault;
}

export interface FaultyProxy {
  endpoint: string;
  /** Every request that reached the proxy, in order. */
  seen: SeenRequest[];
  close(): Promise<void>;
}

/** True for an UploadPart request (a PUT of one part of a multipart upload). */
export function isPartUpload(req: { method: string; url: string }): boolean {
  return req.method === 'PUT' && /[?&]partNumber=\d+/.test(req.url) && /[?&]uploadId=/.test(req.url);
}

export async function startFaultyProxy(target: string, decide: (req: { method: string; url: string }) => Fault): Promise<FaultyProxy> {
  const upstream = new URL(target);
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const info = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const fault = decide(info);
    seen.push({ ...info, fault });
    if (fault === 'reset') {
      // Let some of the body arrive first, so the cut happens mid-upload.
      req.once('data', () => req.socket.resetAndDestroy());
      req.once('end', () => req.socket.resetAndDestroy());
      return;
    }
    if (fault === '500') {
      req.resume();
      req.once('end', () => {
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code><Message>injected by the test proxy</Message></Error>');
      });
      return;
    }
    const delayMs = typeof fault === 'object' && fault ? fault.delayMs : 0;
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    // A delayed request is held whole before it goes on, as a slow link would.
    if (delayMs) setTimeout(() => req.pipe(forward), delayMs);
    else req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
