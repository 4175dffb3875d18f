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

/** The stacked bars of runs per minute, one bar per bucket, with its numbers in <title> and <desc>. */
function rateChart(d, id) {
  const buckets = d.buckets || [];
  const bs = d.bucketSeconds || 60;
  const W = 600; const H = 150; const top = 14; const bottom = 18; const left = 34;
  const plotH = H - top - bottom;
  const max = Math.max(0, ...buckets.map((b) => perMinute(total(b), bs)));
  const scale = max > 0 ? plotH / max : 0;
  const bw = (W - left) / Math.max(buckets.length, 1);
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
    viewBox: `0 0 ${W} ${H}`, class: 'chart chart-rate', role: 'img', id,
    'aria-labelledby': `${id}-title ${id}-desc`, 'data-runs': runs, 'data-max-rate': fmtRate(max),
  }, s('title', { id: `${id}-title` }, title), s('desc', { id: `${id}-desc` }, summary));
  svg.appendChild(s('line', { x1: left, y1: top + plotH, x2: W, y2: top + plotH, class: 'axis' }));
  svg.appendChild(s('text', { x: left - 4, y: top + 4, class: 'tick', 'text-anchor': 'end' }, fmtRate(max)));
  svg.appendChild(s('text', { x: left - 4, y: top + plotH, class: 'tick', 'text-anchor': 'end' }, '0'));
  if (buckets.length) {
    svg.appendChild(s('text', { x: left, y: H - 4, class: 'tick' }, clock(buckets[0].start)));
    svg.appendChild(s('text', { x: W, y: H - 4, class: 'tick', 'text-anchor': 'end' }, 'now'));
  }
  buckets.forEach((b, i) => {
    const n = total(b);
    if (!n) return;
    const g = s('g', { class: 'bar', 'data-start': b.start, 'data-runs': n },
      s('title', null, `${clock(b.start)}: ${countsText(b)} (${fmtRate(perMinute(n, bs))} per minute)`));
    let y = top + plotH;
    for (const k of SERIES) {
      if (!b[k]) continue;
      const hgt = perMinute(b[k], bs) * scale;
      y -= hgt;
      g.appendChild(s('rect', { x: left + i * bw + 0.5, y, width: Math.max(bw - 1, 1), height: Math.max(hgt, 0.5), class: `seg seg-${k}` }));
    }
    svg.appendChild(g);
  });
  return { svg, all };
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
    h('summary', null, `Numbers (${rows.length} ${bs === 60 ? 'minutes' : `buckets of ${bs / 60} minutes`} with runs)`),
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

/** p50, p90 and p99 as horizontal bars, with a table of the same numbers. */
function durationsChart(du, id) {
  const ps = ['p50', 'p90', 'p99'];
  if (!du || !du.count) {
    return h('p', { class: 'muted small', id }, 'No finished runs in this window: no durations.');
  }
  const max = Math.max(1, ...ps.map((p) => du[p] || 0));
  const W = 600; const row = 22; const left = 40; const right = 90;
  const text = ps.map((p) => `${p} ${fmtDuration(du[p])}`).join(', ');
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${row * ps.length + 4}`, class: 'chart chart-durations', role: 'img', id,
    'aria-labelledby': `${id}-title`,
  }, s('title', { id: `${id}-title` }, `Durations of ${du.count} finished runs: ${text}`));
  ps.forEach((p, i) => {
    const y = 2 + i * row;
    const wdt = ((du[p] || 0) / max) * (W - left - right);
    svg.appendChild(s('text', { x: 0, y: y + 15, class: 'tick' }, p));
    svg.appendChild(s('rect', { x: left, y: y + 3, width: Math.max(wdt, 1), height: row - 8, class: `dur dur-${p}` }));
    svg.appendChild(s('text', { x: left + wdt + 6, y: y + 15, class: 'tick' }, fmtDuration(du[p])));
  });
  const table = h('table', { class: 'data stats-durations' },
    h('caption', { class: 'visually-hidden' }, 'Duration percentiles'),
    h('thead', null, h('tr', null, h('th', { scope: 'col', class: 'num' }, 'Finished runs'),
      ps.map((p) => h('th', { scope: 'col', class: 'num' }, p)))),
    h('tbody', null, h('tr', null, h('td', { class: 'num', 'data-stat': 'count' }, String(du.count)),
      ps.map((p) => h('td', { class: 'num', 'data-stat': p, 'data-ms': String(du[p]) }, fmtDuration(du[p]))))));
  return h('div', { class: 'durations' }, svg, h('div', { class: 'table-wrap' }, table));
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
    const { svg, all } = rateChart(d, 'chart-rate');
    clear(body);
    body.setAttribute('data-window', d.window || win);
    append(body, [
      h('h3', null, 'Runs per minute by status'),
      h('div', { class: 'chart-wrap' }, svg), legend(all), bucketsTable(d),
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
