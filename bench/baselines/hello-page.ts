/**
 * The page of workload W2, served byte for byte the same by the lona-ts bench app
 * (/hello, a non-interactive view) and the bare node:http baseline.
 */
export const HELLO_PAGE =
  '<!doctype html><html><head><title>Hello</title></head><body><h1>Hello, world</h1><p>A small static page for W2.</p></body></html>';

export const HELLO_CONTENT_TYPE = 'text/html; charset=utf-8';
