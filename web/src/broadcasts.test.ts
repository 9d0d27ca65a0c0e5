import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  broadcastUrl,
  bySoumSex,
  codePoints,
  deliveryTable,
  draftBody,
  isoOf,
  listUrl,
  parseRoute,
  previewTable,
  previewValues,
  progressOf,
  refusedField,
  routeHash,
  stillMoving,
  templatePreviewUrl,
  type BroadcastJson,
  type BroadcastReportJson,
} from './broadcasts_logic';
import { en, mn } from './i18n';

function broadcast(over: Partial<BroadcastJson> = {}): BroadcastJson {
  return {
    id: 7,
    title: 'Dzud warning',
    target: 'household.herder',
    event: '',
    template: 'shock.alert',
    values: {},
    area: 181,
    state: 'draft',
    recipients: 0,
    segments: 0,
    cost: 0,
    created_by: 'maker',
    created_at: 1765000000,
    approved_by: '',
    approved_at: 0,
    ...over,
  };
}

describe('routes and URLs', () => {
  it('parses and builds the page routes', () => {
    expect(parseRoute('')).toEqual({ view: 'list' });
    expect(parseRoute('new')).toEqual({ view: 'new' });
    expect(parseRoute('12')).toEqual({ view: 'one', id: 12 });
    expect(parseRoute('0')).toEqual({ view: 'list' });
    expect(parseRoute('x1')).toEqual({ view: 'list' });
    for (const r of [{ view: 'list' }, { view: 'new' }, { view: 'one', id: 3 }] as const) {
      expect(parseRoute(routeHash(r).replace(/^#\/broadcasts\/?/, ''))).toEqual(r);
    }
  });
  it('pages the list newest first with before', () => {
    expect(listUrl(30)).toBe('/api/v1/sms/broadcasts?limit=30');
    expect(listUrl(30, 41)).toBe('/api/v1/sms/broadcasts?before=41&limit=30');
    expect(broadcastUrl(5)).toBe('/api/v1/sms/broadcasts/5');
    expect(broadcastUrl(5, 'approve')).toBe('/api/v1/sms/broadcasts/5/approve');
    expect(templatePreviewUrl('shock.alert')).toBe('/api/v1/sms/templates/shock.alert/preview');
  });
});

describe('actionsFor', () => {
  it('never lets the maker approve, and says so', () => {
    const a = actionsFor(broadcast(), 'maker', false);
    expect(a.approve).toBe('maker');
    expect(a.send).toBeNull();
    expect(a.cancel).toBeNull();
  });
  it('lets a second officer approve a draft but not send it', () => {
    const a = actionsFor(broadcast(), 'checker', true);
    expect(a.approve).toBeNull();
    expect(a.send).toBe('notMaker');
  });
  it('holds the maker back above the thresholds', () => {
    expect(actionsFor(broadcast(), 'maker', true).send).toBe('needsApproval');
  });
  it('sends an approved broadcast, continues a sending one, ends with the queued', () => {
    expect(actionsFor(broadcast({ state: 'approved', approved_by: 'checker' }), 'maker', true)).toEqual({ approve: 'state', send: null, cancel: null });
    expect(actionsFor(broadcast({ state: 'sending' }), 'checker')).toEqual({ approve: 'state', send: null, cancel: 'state' });
    expect(actionsFor(broadcast({ state: 'queued' }), 'maker')).toEqual({ approve: 'state', send: 'state', cancel: 'state' });
    expect(actionsFor(broadcast({ state: 'cancelled' }), 'maker')).toEqual({ approve: 'state', send: 'state', cancel: 'state' });
  });
});

describe('the draft form', () => {
  const params = [
    { name: 'soum', description: 'soum name', sample: 'Баян-Өндөр', max_length: 20 },
    { name: 'phone', description: 'phone', sample: '70112233', max_length: 12 },
  ];
  it('previews with samples where nothing was typed', () => {
    expect(previewValues(params, { soum: 'Тосонцэнгэл', phone: '  ' })).toEqual({ values: { soum: 'Тосонцэнгэл', phone: '70112233' }, samples: ['phone'] });
  });
  it('counts characters as the server does (code points)', () => {
    expect(codePoints('Өндөр')).toBe(5);
    expect(codePoints('😀a')).toBe(2);
  });
  it('leaves out an empty event and trims', () => {
    expect(draftBody({ title: ' A ', target: ' soum == 18140 ', event: ' ', template: 't', values: { a: 'b' } })).toEqual({ title: 'A', target: 'soum == 18140', template: 't', values: { a: 'b' } });
    expect(draftBody({ title: 'A', target: 'x', event: 'DZ1', template: 't', values: {} }).event).toBe('DZ1');
  });
  it("puts a refusal beside the field it concerns", () => {
    const fields = ['title', 'target', 'soum'];
    expect(refusedField('target', 'target: unknown field', fields)).toBe('target');
    expect(refusedField(null, 'target: unknown field household.herdr', fields)).toBe('target');
    expect(refusedField('soum', "template 'x' parameter {soum}: too long", fields)).toBe('soum');
    expect(refusedField(null, 'broadcast 3 is sending', fields)).toBeNull();
    expect(refusedField('values', 'values: expected an object', fields)).toBeNull();
  });
});

describe('the tables', () => {
  it('pivots the preview by soum and sex of head, with totals', () => {
    const t = previewTable({
      selected: 0, no_phone: 0, opted_out: 0, recipients: 0, text: '', segments: 1, cost_per_message: 20, cost: 0, needs_approval: false,
      by_soum_sex: [
        { soum: 18140, head_sex: 'M', households: 15 },
        { soum: 18125, head_sex: 'F', households: 5 },
        { soum: 18140, head_sex: 'F', households: 1200 },
      ],
    });
    expect(t.rows).toEqual([
      { soum: 18125, F: 5, M: 0, total: 5 },
      { soum: 18140, F: 1200, M: 15, total: 1215 },
    ]);
    expect(t.total).toEqual({ soum: 0, F: 1205, M: 15, total: 1220 });
    expect(bySoumSex([]).rows).toEqual([]);
  });
  const report: BroadcastReportJson = {
    progress: { queued: 6, delivered: 2, failed: 1, not_queued: 1 },
    by_soum_sex: [
      { soum: 18140, head_sex: 'M', state: 'failed', messages: 1 },
      { soum: 18140, head_sex: 'F', state: 'delivered', messages: 2 },
      { soum: 18140, head_sex: 'F', state: 'queued', messages: 4 },
      { soum: 18125, head_sex: 'F', state: 'queued', messages: 2 },
      { soum: 18125, head_sex: 'F', state: 'not_queued', messages: 1 },
    ],
  };
  it('lays the delivery report out by soum x sex, states in life order', () => {
    const t = deliveryTable(report);
    expect(t.states).toEqual(['not_queued', 'queued', 'delivered', 'failed']);
    expect(t.rows.map((r) => [r.soum, r.head_sex, r.total])).toEqual([
      [18125, 'F', 3],
      [18140, 'F', 6],
      [18140, 'M', 1],
    ]);
    expect(t.rows[1].counts).toEqual({ delivered: 2, queued: 4 });
    expect(t.totals).toEqual({ failed: 1, delivered: 2, queued: 6, not_queued: 1 });
    expect(t.total).toBe(10);
  });
  it('measures progress and knows when to stop refreshing', () => {
    expect(progressOf(report)).toEqual({ messages: 10, queued: 0.9, done: 0.3, delivered: 0.2 });
    expect(progressOf({ progress: {}, by_soum_sex: [] }).done).toBe(0);
    expect(stillMoving(broadcast({ state: 'sending' }), null)).toBe(true);
    expect(stillMoving(broadcast({ state: 'queued' }), report)).toBe(true);
    expect(stillMoving(broadcast({ state: 'queued' }), { progress: { delivered: 3, failed: 1 }, by_soum_sex: [] })).toBe(false);
    expect(stillMoving(broadcast({ state: 'draft' }), null)).toBe(false);
  });
  it('has words for every message state in both languages', () => {
    for (const s of ['not_queued', 'queued', 'sending', 'sent', 'delivered', 'failed', 'expired', 'unknown']) {
      expect(`bc.m.${s}` in en && `bc.m.${s}` in mn, s).toBe(true);
    }
    for (const s of ['draft', 'approved', 'sending', 'queued', 'cancelled']) expect(`bc.s.${s}` in en, s).toBe(true);
  });
  it('writes Unix seconds as a UTC time', () => {
    expect(isoOf(0)).toBe('');
    expect(isoOf(1765000000)).toBe('2025-12-06T05:46');
  });
});
