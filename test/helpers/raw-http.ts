// HTTP over a real socket for what fetch and http.get cannot send: any method with any Host,
// and byte-exact request lines (hostile paths a client library would refuse or normalise).
import http from 'node:http';
import net from 'node:net';
import type { Response } from './http.ts';

export function request(port: number, opts: { method?: string; host: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Response & { raw: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: { host: opts.host, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw.toString('utf8'), raw });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Writes `GET <target> HTTP/1.1` as given, byte for byte; resolves with the status and the whole answer. */
export function rawGet(port: number, host: string, target: Buffer | string, timeoutMs = 5000): Promise<{ status: number; text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(new Error(`no answer in ${timeoutMs} ms for ${JSON.stringify(String(target))}`)), timeoutMs);
    socket.on('connect', () => {
      socket.write(Buffer.concat([Buffer.from('GET '), Buffer.isBuffer(target) ? target : Buffer.from(target), Buffer.from(` HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)]));
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    let error: string | undefined;
    // A server that refuses a request outright may reset the connection: report it, do not throw.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text, ...(error ? { error } : {}) });
    });
  });
}
