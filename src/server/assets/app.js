// app.js - the sluice dashboard: polls the daemon's REST API (docs/REST.md)
// and draws the job list and, per job, the operator graph coloured by
// backpressure, snapshot progress, checkpoints and a throughput/lag chart.
// Plain DOM, no framework; every value is set with textContent, never as HTML.
'use strict';

const $ = (sel) => document.querySelector(sel);
const SVG = 'http://www.w3.org/2000/svg';
let token = sessionStorage.getItem('sluice-token') || '';
let timer = null;

function el(tag, attrs, text) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

async function api(method, path, body) {
  const headers = { 'Accept': 'application/json' };
  if (token) headers['Authorization'] = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status === 401) { showLogin(); throw new Error('unauthorized'); }
  const data = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(data.error || ('HTTP ' + r.status));
  return data;
}

function showLogin() {
  $('#login').hidden = false;
  $('#jobs-view').hidden = true;
  $('#job-view').hidden = true;
}

const fmtInt = (n) => (n === null || n === undefined) ? '-' : Number(n).toLocaleString('en-US');
const fmtRate = (n) => n >= 100 ? Math.round(n).toLocaleString('en-US') : (Math.round(n * 10) / 10).toString();
function fmtBytes(n) {
  if (!n) return '0 B';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return (i ? n.toFixed(1) : n) + ' ' + u[i];
}
function fmtDur(ms) {
  if (ms === null || ms === undefined || ms < 0) return '-';
  if (ms < 1000) return ms + ' ms';
  const s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
  return h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${(ms / 1000).toFixed(1)} s`;
}
const fmtTime = (t) => t ? new Date(t).toLocaleString() : '-';

function statusBadge(s) { return el('span', { class: 'status ' + s }, s); }

// ---- the job list ----

async function renderOverview() {
  const ov = await api('GET', '/v1/overview');
  $('#overview').textContent = `sluice ${ov.version} · up ${fmtDur(ov.uptime_ms)} · ` +
    `${ov.jobs_running} running, ${ov.jobs_finished} finished, ${ov.jobs_failed} failed, ${ov.jobs_canceled} canceled`;
}

async function renderJobs() {
  const data = await api('GET', '/v1/jobs');
  const tb = $('#job-list tbody');
  tb.replaceChildren();
  const jobs = data.jobs.filter((j) => !j.query || j.status === 'RUNNING');
  jobs.sort((a, b) => b.start_time - a.start_time);
  for (const j of jobs) {
    const tr = el('tr', { class: 'clickable job-row', 'data-id': j.id });
    tr.append(el('td', { class: 'num' }, j.id.slice(0, 8)), el('td', {}, j.name));
    const st = el('td'); st.append(statusBadge(j.status)); tr.append(st);
    tr.append(el('td', {}, fmtTime(j.start_time)), el('td', {}, fmtDur(j.duration_ms)),
      el('td', { class: 'num' }, fmtInt(j.records_in)), el('td', { class: 'num' }, fmtInt(j.records_out)));
    tr.addEventListener('click', () => { location.hash = '#/jobs/' + j.id; });
    tb.append(tr);
  }
  $('#no-jobs').hidden = jobs.length > 0;
}

// ---- one job ----

function bpClass(v) { return v.backpressured_ms_per_s > 500 ? 'high' : v.backpressured_ms_per_s > 100 ? 'low' : 'ok'; }
const bpColor = { ok: '#52c41a', low: '#faad14', high: '#f5222d' };

function renderGraph(job) {
  const svg = $('#graph');
  svg.replaceChildren();
  const vs = job.vertices || [];
  // Columns by depth from the sources.
  const depth = vs.map(() => 0);
  for (let pass = 0; pass < vs.length; pass++)
    for (const v of vs) for (const i of v.inputs) if (i >= 0) depth[v.id] = Math.max(depth[v.id], depth[i] + 1);
  const cols = [];
  vs.forEach((v) => { (cols[depth[v.id]] = cols[depth[v.id]] || []).push(v); });
  const W = 210, H = 74, GX = 60, GY = 18;
  const pos = {};
  cols.forEach((col, c) => col.forEach((v, r) => { pos[v.id] = { x: 20 + c * (W + GX), y: 20 + r * (H + GY) }; }));
  const width = 40 + cols.length * (W + GX), height = 40 + Math.max(1, ...cols.map((c) => c.length)) * (H + GY);
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  const defs = el('svg:defs');
  const marker = el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  marker.append(el('svg:path', { d: 'M0,0 L10,5 L0,10 z', fill: '#9aa8b6' }));
  defs.append(marker);
  svg.append(defs);
  for (const v of vs) for (const i of v.inputs) {
    if (!(i in pos)) continue;
    const a = pos[i], b = pos[v.id];
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    svg.append(el('svg:path', { class: 'edge', d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}` }));
  }
  for (const v of vs) {
    const p = pos[v.id], cls = bpClass(v);
    const g = el('svg:g', { class: 'vertex bp-' + cls, transform: `translate(${p.x},${p.y})`, 'data-id': v.id });
    g.append(el('svg:title', {}, v.desc || v.name));
    g.append(el('svg:rect', { width: W, height: H, fill: bpColor[cls] }));
    const name = v.name.length > 28 ? v.name.slice(0, 27) + '…' : v.name;
    g.append(el('svg:text', { x: 10, y: 18, class: 'title' }, name));
    g.append(el('svg:text', { x: 10, y: 36, class: 'rate-in' }, 'in  ' + fmtRate(v.records_in_per_s) + '/s  ' + fmtInt(v.records_in)));
    g.append(el('svg:text', { x: 10, y: 52, class: 'rate-out' }, 'out ' + fmtRate(v.records_out_per_s) + '/s  ' + fmtInt(v.records_out)));
    g.append(el('svg:text', { x: 10, y: 68, class: 'busy' },
      `busy ${Math.round(v.busy_ms_per_s / 10)}%  bp ${Math.round(v.backpressured_ms_per_s / 10)}%`));
    svg.append(g);
  }
}

function renderSnapshot(job) {
  const box = $('#snapshot-progress');
  box.replaceChildren();
  for (const v of job.vertices || []) {
    const s = v.source;
    if (!s) continue;
    const div = el('div', { class: 'snap' });
    if (s.snapshotting) {
      const pct = s.snapshot_rows_est > 0 ? Math.min(100, 100 * s.snapshot_rows / s.snapshot_rows_est) : 0;
      div.append(el('div', {}, `${v.name}: snapshot ${fmtInt(s.snapshot_rows)} of ~${fmtInt(s.snapshot_rows_est)} rows` +
        ` (${pct.toFixed(1)}%), tables ${s.snapshot_tables_done}/${s.snapshot_tables}`));
      const bar = el('div', { class: 'bar' });
      bar.append(el('div', { style: `width:${pct.toFixed(1)}%` }));
      div.append(bar);
    } else {
      div.append(el('div', {}, `${v.name}: ${s.position ? 'at ' + s.position + ', ' : ''}` +
        `fetch lag ${s.fetch_lag_ms >= 0 ? fmtDur(s.fetch_lag_ms) : '-'}, idle ${fmtDur(s.idle_ms)}`));
    }
    box.append(div);
  }
}

function renderChart(job) {
  const svg = $('#chart');
  svg.replaceChildren();
  const h = job.history || [];
  const W = 900, H = 200, P = 4;
  if (h.length < 2) { svg.append(el('svg:text', { x: 20, y: 100, fill: '#6b7785' }, 'collecting samples…')); return; }
  const t0 = h[0].t, t1 = h[h.length - 1].t;
  const maxR = Math.max(1, ...h.map((s) => Math.max(s.records_in_per_s, s.records_out_per_s)));
  const maxL = Math.max(1, ...h.map((s) => s.lag_ms));
  const x = (t) => P + (W - 2 * P) * (t - t0) / Math.max(1, t1 - t0);
  const line = (f, max, color, cls) => {
    const d = h.map((s, i) => `${i ? 'L' : 'M'}${x(s.t).toFixed(1)},${(H - P - (H - 2 * P) * f(s) / max).toFixed(1)}`).join(' ');
    svg.append(el('svg:path', { d, stroke: color, 'stroke-width': 2, fill: 'none', class: cls, 'vector-effect': 'non-scaling-stroke' }));
  };
  line((s) => s.records_in_per_s, maxR, '#1890ff', 'line-in');
  line((s) => s.records_out_per_s, maxR, '#52c41a', 'line-out');
  line((s) => s.lag_ms, maxL, '#fa8c16', 'line-lag');
  svg.append(el('svg:text', { x: 8, y: 14, fill: '#6b7785', 'font-size': 11 }, fmtRate(maxR) + '/s'));
  svg.append(el('svg:text', { x: W - 90, y: 14, fill: '#fa8c16', 'font-size': 11 }, fmtDur(maxL)));
}

function renderCheckpoints(job) {
  const tb = $('#checkpoints tbody');
  tb.replaceChildren();
  const hist = (job.checkpoints && job.checkpoints.history) || [];
  for (const c of hist.slice().reverse()) {
    const tr = el('tr', { class: 'ckpt-row' });
    tr.append(el('td', { class: 'num' }, c.id), el('td', {}, c.status), el('td', {}, fmtTime(c.trigger_time)),
      el('td', { class: 'num' }, fmtDur(c.duration_ms)), el('td', { class: 'num' }, fmtDur(c.sync_ms)),
      el('td', { class: 'num' }, fmtBytes(c.size_bytes)));
    tb.append(tr);
  }
  if (!hist.length) {
    const tr = el('tr');
    tr.append(el('td', { colspan: 6 }, 'No checkpoints (set execution.checkpointing.interval).'));
    tb.append(tr);
  }
}

async function renderJob(id) {
  const job = await api('GET', '/v1/jobs/' + encodeURIComponent(id));
  $('#job-name').textContent = job.name;
  const meta = $('#job-meta');
  meta.replaceChildren(statusBadge(job.status),
    document.createTextNode(` ${job.id} · started ${fmtTime(job.start_time)} · running ${fmtDur(job.duration_ms)}`));
  const err = $('#job-error');
  err.hidden = !job.error;
  err.textContent = job.error || '';
  $('#m-in').textContent = fmtInt(job.records_in);
  $('#m-out').textContent = fmtInt(job.records_out);
  const lags = (job.vertices || []).filter((v) => v.source && v.source.fetch_lag_ms >= 0).map((v) => v.source.fetch_lag_ms);
  $('#m-lag').textContent = lags.length ? fmtDur(Math.max(...lags)) : '-';
  $('#m-state').textContent = fmtBytes(job.state_size_bytes);
  $('#m-ckpt').textContent = `${job.checkpoints.completed} ok, ${job.checkpoints.failed} failed`;
  $('#m-restarts').textContent = job.restarts;
  const alive = job.status === 'RUNNING' || job.status === 'RESTARTING' || job.status === 'INITIALIZING';
  $('#btn-stop').disabled = !alive;
  $('#btn-cancel').disabled = !alive;
  renderGraph(job);
  renderSnapshot(job);
  renderChart(job);
  renderCheckpoints(job);
  $('#job-sql').textContent = job.sql;
}

// ---- routing and polling ----

function route() {
  const m = location.hash.match(/^#\/jobs\/([0-9a-f]+)$/);
  return m ? m[1] : null;
}

async function refresh() {
  clearTimeout(timer);
  const id = route();
  $('#login').hidden = true;
  $('#jobs-view').hidden = !!id;
  $('#job-view').hidden = !id;
  try {
    await renderOverview();
    if (id) await renderJob(id); else await renderJobs();
    $('#status-line').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    if (e.message === 'unauthorized') return;
    $('#status-line').textContent = 'error: ' + e.message;
  }
  timer = setTimeout(refresh, 2000);
}

$('#login-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  token = $('#token').value;
  sessionStorage.setItem('sluice-token', token);
  $('#token').value = '';
  refresh();
});
$('#btn-cancel').addEventListener('click', async () => {
  const id = route();
  if (!id || !confirm('Cancel job ' + id + '? Its checkpoints are dropped unless retained.')) return;
  try { await api('POST', `/v1/jobs/${id}/cancel`); } catch (e) { alert(e.message); }
  refresh();
});
$('#btn-stop').addEventListener('click', async () => {
  const id = route();
  if (!id || !confirm('Stop job ' + id + ' with a savepoint?')) return;
  $('#btn-stop').disabled = true;
  try { const r = await api('POST', `/v1/jobs/${id}/stop`, {}); alert('Savepoint: ' + r.savepoint); } catch (e) { alert(e.message); }
  refresh();
});
window.addEventListener('hashchange', refresh);
refresh();
