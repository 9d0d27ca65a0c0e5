import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, codeForStatus, errorFromResponse, withQuery } from './api';

const headers = (h: Record<string, string> = {}) => ({ get: (n: string) => h[n] ?? null });

describe('errorFromResponse', () => {
  it('takes the code, message and field from the JSON body', () => {
    const e = errorFromResponse(400, headers(), JSON.stringify({ error: { code: 'INVALID_ARGUMENT', message: "field phone: '12' - expected 8 digits", field: 'household.phone' } }));
    expect(e.code).toBe('INVALID_ARGUMENT');
    expect(e.field).toBe('household.phone');
    expect(e.detail).toContain('8 digits');
  });
  it('keeps the current version of a 412 conflict', () => {
    const e = errorFromResponse(412, headers({ ETag: '"7"' }), JSON.stringify({ error: { code: 'CONFLICT', message: 'stale', field: 'If-Match' }, current_version: 7 }));
    expect(e.code).toBe('CONFLICT');
    expect(e.currentVersion).toBe(7);
    expect(e.currentEtag).toBe('"7"');
  });
  it('derives the code from the status when the body is not JSON', () => {
    const e = errorFromResponse(503, headers({ 'Retry-After': '3' }), '<html>busy</html>');
    expect(e.code).toBe('UNAVAILABLE');
    expect(e.retryAfterSeconds).toBe(3);
    expect(e.field).toBeNull();
  });
  it('ignores an unknown code', () => {
    expect(errorFromResponse(404, headers(), '{"error":{"code":"WHAT"}}').code).toBe('NOT_FOUND');
  });
  it('maps every status class', () => {
    expect(codeForStatus(401)).toBe('UNAUTHENTICATED');
    expect(codeForStatus(403)).toBe('PERMISSION_DENIED');
    expect(codeForStatus(409)).toBe('ALREADY_EXISTS');
    expect(codeForStatus(413)).toBe('RESOURCE_EXHAUSTED');
    expect(codeForStatus(428)).toBe('INVALID_ARGUMENT');
    expect(codeForStatus(500)).toBe('INTERNAL');
  });
});

describe('ApiClient', () => {
  it('sends JSON with If-Match and returns data and ETag', async () => {
    const fetchFn = vi.fn(async () => new Response('{"version":3}', { status: 200, headers: { ETag: '"3"' } }));
    const api = new ApiClient(fetchFn);
    const r = await api.request<{ version: number }>('/api/v1/households/H1', { method: 'PUT', body: { a: 1 }, ifMatch: '"2"' });
    expect(r.data.version).toBe(3);
    expect(r.etag).toBe('"3"');
    const init = (fetchFn.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>)['If-Match']).toBe('"2"');
    expect(init.body).toBe('{"a":1}');
  });
  it('throws ApiError and reports a lost session', async () => {
    const api = new ApiClient(async () => new Response('{"error":{"code":"UNAUTHENTICATED","message":"no session","field":null}}', { status: 401 }));
    let lost = 0;
    api.onUnauthenticated = () => lost++;
    await expect(api.get('/api/v1/session')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toBe(1);
  });
  it('turns a network failure into NETWORK', async () => {
    const api = new ApiClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.get('/x')).rejects.toMatchObject({ code: 'NETWORK', status: 0 });
  });
});

describe('withQuery', () => {
  it('skips empty values and encodes Cyrillic', () => {
    expect(withQuery('/api/v1/households', { q: 'Бат', soum: 18140, herder: undefined, page: '' })).toBe('/api/v1/households?q=%D0%91%D0%B0%D1%82&soum=18140');
    expect(withQuery('/x', {})).toBe('/x');
  });
});
