// The proxy's ports over the HTTP API (decisions, events, reports, directory); see api-ports.ts for the whole set.

export * from './api-client.ts';
export * from './api-ports.ts';
export * from './config-directory.ts';
export * from './decision-client.ts';
export * from './event-stream.ts';
export * from './report-client.ts';
export * from './sse-parser.ts';
