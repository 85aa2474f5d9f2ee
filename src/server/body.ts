/**
 * Reading and parsing HTTP request bodies, with the size limit of MAX_HTTP_BODY_BYTES
 * (413 past it). Only urlencoded forms are parsed into `post`; other bodies stay bytes
 * for `request.body` / `request.json()`.
 */
import type { IncomingMessage } from 'node:http';
import { LonaError } from '../errors.js';
import { searchParamsToForm, type FormData } from '../view/request.js';

/**
 * Whether the request may carry a body. HTTP/1.1 gives a request one only with a
 * Transfer-Encoding or a Content-Length header (RFC 9112 §6.3), as Node's parser does;
 * without them, or with `Content-Length: 0` (GET and HEAD, normally), the message is
 * complete when the handler runs and there is nothing to wait for.
 */
export function hasBody(req: IncomingMessage): boolean {
  const { 'transfer-encoding': transferEncoding, 'content-length': length } = req.headers;
  return transferEncoding !== undefined || (length !== undefined && length !== '0');
}

/** Reads the whole body; rejects with LONA_ERR_HTTP_BODY_TOO_LARGE as soon as it passes `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new LonaError('LONA_ERR_HTTP_BODY_TOO_LARGE', { limit }));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop reading; the caller answers 413 and closes the connection.
        req.pause();
        reject(new LonaError('LONA_ERR_HTTP_BODY_TOO_LARGE', { limit }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Parses an urlencoded body into form fields; other content types give `{}`. */
export function parseForm(body: Buffer, contentType: string | undefined): FormData {
  if (body.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return {};
  return searchParamsToForm(new URLSearchParams(body.toString('utf8')));
}
