// Pictures of executions:stats: runs per minute by status (stacked bars) and duration percentiles over
// the last hour or day, overall or for one workflow. Inline SVG drawn here from the API's answer; each
// chart has its numbers as text too (the SVG's title and description, and a table).

import { h, append, clear, errorBox, fmtDuration, fmtTime, EXECUTION_STATUS } from './dom.js';
import { api, ApiError, isManager } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';

// The stats' status names, in stacking order (the bottom first), with the page's names for them.
const SERIES = ['resolved', 'failed', 'error', 'aborted', 'canceled', 'rejected', 'started', 'queueing'];
const LABEL = Object.fromEntries([...EXECUTION_STATUS.values()].map((n) => [n.toLowerCase(), n]));

const WINDOWS = { hour: 'Last hour', day: 'Last day' };

/** An SVG element; text children become text nodes. */
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  for (const c of children) {
    if (c === null || c === undefined) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const perMinute = (n, bucketSeconds) => (n * 60) / bucketSeconds;

function fmtRate(r) {
  if (r === 0) return '0';
  return r >= 10 ? r.toFixed(0) : r >= 1 ? r.toFixed(1) : r.toFixed(2);
}

function total(b) {
  return SERIES.reduce((t, k) => t + (b[k] || 0), 0);
}

/** "12 resolved, 1 error" of a bucket or a sum (zeros left out). */
function countsText(c) {
  const parts = SERIES.filter((k) => c[k]).map((k) => `${c[k]} ${LABEL[k] || k}`);
  return parts.length ? parts.join(', ') : 'no runs';
}

function sums(buckets) {
  const out = {};
  for (const b of buckets) for (const k of SERIES) out[k] = (out[k] || 0) + (b[k] || 0);
  return out;
}

function clock(iso) {
  return fmtTime(iso).slice(11, 16);
}

/**
 * The stacked bars of runs per minute, one bar per bucket, with its numbers in <title> and <desc>. The
 * SVG stretches to its box (bars only); the scale's labels are HTML, so they stay readable at any width.
 */
function rateChart(d, id) {
  const buckets = d.buckets || [];
  const bs = d.bucketSeconds || 60;
  const bw = 10; const H = 100;
  const W = bw * Math.max(buckets.length, 1);
  const max = Math.max(0, ...buckets.map((b) => perMinute(total(b), bs)));
  const scale = max > 0 ? H / max : 0;
  const all = sums(buckets);
  const runs = total(all);
  let peak = null;
  for (const b of buckets) if (!peak || total(b) > total(peak)) peak = b;
  const unit = bs === 60 ? 'minute' : `${bs / 60} minutes`;
  const summary = runs
    ? `${runs} runs (${countsText(all)}); busiest ${unit} from ${clock(peak.start)}: ${fmtRate(perMinute(total(peak), bs))} runs per minute.`
    : 'No runs in this window.';
  const title = `Runs per minute by status, ${WINDOWS[d.window] ? WINDOWS[d.window].toLowerCase() : d.window}`;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'chart chart-rate', role: 'img', id,
    'aria-labelledby': `${id}-title ${id}-desc`, 'data-runs': runs, 'data-max-rate': fmtRate(max),
  }, s('title', { id: `${id}-title` }, title), s('desc', { id: `${id}-desc` }, summary));
  buckets.forEach((b, i) => {
    const n = total(b);
    if (!n) return;
    const g = s('g', { class: 'bar', 'data-start': b.start, 'data-runs': n },
      s('title', null, `${clock(b.start)}: ${countsText(b)} (${fmtRate(perMinute(n, bs))} per minute)`));
    let y = H;
    for (const k of SERIES) {
      if (!b[k]) continue;
      const hgt = perMinute(b[k], bs) * scale;
      y -= hgt;
      g.appendChild(s('rect', { x: i * bw + 1, y, width: bw - 2, height: Math.max(hgt, 0.5), class: `seg seg-${k}` }));
    }
    svg.appendChild(g);
  });
  const fig = h('figure', { class: 'chart-fig' },
    h('div', { class: 'chart-plot' },
      h('span', { class: 'y-max', 'aria-hidden': 'true' }, fmtRate(max)),
      h('span', { class: 'y-zero', 'aria-hidden': 'true' }, '0'),
      svg),
    h('div', { class: 'x-ticks', 'aria-hidden': 'true' },
      h('span', null, buckets.length ? clock(buckets[0].start) : ''), h('span', null, 'now')),
    h('figcaption', { class: 'muted small' }, summary));
  return { fig, all };
}

function legend(all) {
  const shown = SERIES.filter((k) => all[k]);
  if (!shown.length) return null;
  return h('ul', { class: 'legend', 'aria-hidden': 'true' },
    shown.map((k) => h('li', null, h('span', { class: `swatch seg-${k}` }), `${LABEL[k] || k} ${all[k]}`)));
}

/** The buckets that had runs, as a table: the chart's text equivalent. */
function bucketsTable(d) {
  const bs = d.bucketSeconds || 60;
  const rows = (d.buckets || []).filter((b) => total(b) > 0);
  const cols = SERIES.filter((k) => rows.some((b) => b[k]));
  if (!rows.length) return h('p', { class: 'muted small' }, 'No runs in this window.');
  return h('details', { class: 'chart-numbers' },
    h('summary', null, `Numbers (${rows.length} ${bs === 60 ? 'minute' : `bucket of ${bs / 60} minutes`}${rows.length === 1 ? '' : 's'} with runs)`),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data stats-buckets' },
      h('caption', { class: 'visually-hidden' }, 'Runs by status per bucket'),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'From'),
        cols.map((k) => h('th', { scope: 'col', class: 'num' }, LABEL[k] || k)),
        h('th', { scope: 'col', class: 'num' }, 'Per minute'))),
      h('tbody', null, rows.map((b) => h('tr', { 'data-start': b.start },
        h('th', { scope: 'row' }, h('time', { datetime: b.start }, fmtTime(b.start))),
        cols.map((k) => h('td', { class: 'num' }, String(b[k] || 0))),
        h('td', { class: 'num' }, fmtRate(perMinute(total(b), bs)))))))));
}

/** p50, p90 and p99 as horizontal bars (each a stretched SVG), with a table of the same numbers. */
function durationsChart(du, id) {
  const ps = ['p50', 'p90', 'p99'];
  if (!du || !du.count) {
    return h('p', { class: 'muted small', id }, 'No finished runs in this window: no durations.');
  }
  const max = Math.max(1, ...ps.map((p) => du[p] || 0));
  const text = ps.map((p) => `${p} ${fmtDuration(du[p])}`).join(', ');
  const bars = h('div', { class: 'dur-chart', role: 'img', id, 'aria-label': `Durations of ${du.count} finished runs: ${text}` },
    ps.map((p) => h('div', { class: 'dur-row', 'aria-hidden': 'true' },
      h('span', { class: 'dur-label' }, p),
      s('svg', { viewBox: '0 0 100 10', preserveAspectRatio: 'none', class: 'dur-bar' },
        s('rect', { x: 0, y: 0, width: Math.max(((du[p] || 0) / max) * 100, 0.5), height: 10, class: `dur dur-${p}` })),
      h('span', { class: 'dur-value' }, fmtDuration(du[p])))));
  const table = h('table', { class: 'data stats-durations' },
    h('caption', { class: 'visually-hidden' }, 'Duration percentiles'),
    h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Finished runs'),
      ps.map((p) => h('th', { scope: 'col', class: 'num' }, p)))),
    h('tbody', null, h('tr', null, h('td', { class: 'num', 'data-stat': 'count' }, String(du.count)),
      ps.map((p) => h('td', { class: 'num', 'data-stat': p, 'data-ms': String(du[p]) }, fmtDuration(du[p]))))));
  return h('div', { class: 'durations' }, bars, h('div', { class: 'table-wrap' }, table));
}

/**
 * The "Runs" panel: the charts of executions:stats for `filter` (`{key}`, `{workflowId}` or none), with a
 * window switch. `onPage()` false: the page changed meanwhile, draw nothing.
 */
export function statsPanel(opts) {
  if (!isManager()) return null;
  const o = opts || {};
  let win = 'hour';
  const body = h('div', { class: 'stats-body', 'aria-live': 'polite' }, h('p', { class: 'loading' }, 'Loading…'));
  const buttons = Object.entries(WINDOWS).map(([w, label]) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', id: `stats-${w}`, 'aria-pressed': String(w === win) }, label);
    b.addEventListener('click', () => { win = w; load(); });
    return b;
  });
  const load = async () => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.id === `stats-${win}`));
    const query = { window: win };
    if (o.filter && Object.keys(o.filter).length) query.filter = o.filter;
    let r;
    try {
      r = await api('GET', 'executions:stats', { query });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      clear(body);
      body.appendChild(errorBox(e, 'Run statistics'));
      return;
    }
    if (o.onPage && !o.onPage()) return;
    const d = r.json.data || {};
    const { fig, all } = rateChart(d, 'chart-rate');
    clear(body);
    body.setAttribute('data-window', d.window || win);
    append(body, [
      h('h3', null, 'Runs per minute by status'),
      fig, legend(all), bucketsTable(d),
      h('h3', null, 'Durations (start to end of finished runs)'),
      durationsChart(d.durations, 'chart-durations')]);
  };
  load();
  const section = h('section', { class: 'panel stats', 'aria-labelledby': 'stats-h', id: 'stats' },
    h('div', { class: 'panel-head' }, h('h2', { id: 'stats-h' }, o.title || 'Runs'),
      h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Time window' }, buttons)),
    body);
  section.reload = load;
  return section;
}
