// Answers requests Node's HTTP parser refuses (oversized URL or headers, malformed HTTP, timeouts) in our
// error shape, on the raw socket, since no Fastify reply exists for them.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiErrorCode } from '@smart-mining/api-contract';
import { ApiError, errorBody } from './errors.ts';

function classify(code: string | undefined): [ApiErrorCode, string] {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return [
        'SM_API_HEADERS_TOO_LARGE',
        'the URL and headers must fit in 16 KiB; send long lists in several requests',
      ];
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return ['SM_API_BAD_REQUEST', 'the request did not arrive in time'];
    default:
      return ['SM_API_BAD_REQUEST', 'the request is not valid HTTP/1.1'];
  }
}

/** Fastify `clientErrorHandler`. */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const [code, message] = classify(error.code);
  const apiError = new ApiError(code, message);
  const body = JSON.stringify(errorBody(apiError));
  const status = apiError.statusCode;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
