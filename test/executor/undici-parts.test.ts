/**
 * The executor requires undici's Pool, retry interceptor, header parser, FormData and Response from their own
 * modules (undici's index loads far more at start-up): they must be the very classes undici
 * exports, so an undici upgrade that moves one of them fails here rather than at run time.
 */
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { parseHeaders, Pool, retryInterceptor, webClasses } from '@capstan/runtime/internals';

describe('undici parts required one by one', () => {
  it('are the classes and functions undici exports', () => {
    expect(Pool).toBe(undici.Pool);
    expect(retryInterceptor).toBe(undici.interceptors.retry);
    expect(parseHeaders).toBe(undici.util.parseHeaders);
    expect(webClasses().FormData).toBe(undici.FormData);
    expect(webClasses().Response).toBe(undici.Response);
  });

  it('encode a multipart body as undici does', async () => {
    const { FormData, Response } = webClasses();
    const form = new FormData();
    form.append('name', 'value');
    const encoded = new Response(form);
    expect(encoded.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(await encoded.text()).toContain('name="name"\r\n\r\nvalue');
  });
});
