// dispatch-lab inspector: plain browser JavaScript, no build step, no CDN. State comes from GET state
// (workers, rooms, timers) and the trace's server-sent events (jobs, drops, the diagram's refresh).
'use strict';

const $ = (sel) => document.querySelector(sel);
const TOKEN_KEY = 'dispatch-lab-inspector-token';
const BAD = new Set(['dropped', 'rejected', 'timed_out', 'orphaned', 'abandoned']);
const MAX_JOBS = 5000;

let token = sessionStorage.getItem(TOKEN_KEY) || '';
let source;
let state = { workers: [], rooms: [], now: Date.now(), trace: {} };
let clockOffset = 0;
const jobs = new Map();
const jobLevel = new Map();
const known = { room: new Set(), worker: new Set(), agent: new Set() };

/** Builds an element; text children are text nodes (never HTML), so nothing from the trace is interpreted. */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c));
  return el;
}

const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const b64urlText = (s) => b64url(new TextEncoder().encode(s));

/** An HS256 JWT signed here with WebCrypto: the secret never leaves the page. */
async function signToken(apiKey, secret) {
  if (!crypto.subtle) throw new Error('this page is not in a secure context (use http://127.0.0.1 or localhost), so WebCrypto cannot sign; use the one-time link serve printed');
  const now = Math.floor(Date.now() / 1000);
  const header = b64urlText(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = b64urlText(JSON.stringify({ iss: apiKey, sub: 'inspector', nbf: now - 10, exp: now + 12 * 3600 }));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${header}.${claims}`)));
  return `${header}.${claims}.${b64url(sig)}`;
}

const authed = (path) => fetch(path, { headers: { Authorization: `Bearer ${token}` } });

function showSignIn(message) {
  if (source) source.close();
  source = undefined;
  $('#app').hidden = true;
  $('#signin').hidden = false;
  $('#signout').hidden = true;
  $('#download').disabled = true;
  $('#signin-msg').textContent = message || '';
  setConn('off', 'not signed in');
}

function setConn(cls, text) {
  const c = $('#conn');
  c.className = `pill ${cls}`;
  c.textContent = text;
}

async function boot() {
  const once = new URLSearchParams(location.hash.slice(1)).get('once');
  if (once) {
    history.replaceState(null, '', location.pathname);
    const res = await fetch('session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ once }) });
    const body = await res.json().catch(() => ({}));
    if (res.ok) setToken(body.token);
    else return showSignIn(body.error || `sign-in link refused (${res.status})`);
  }
  if (!token) return showSignIn('');
  await start();
}

function setToken(t) {
  token = t;
  sessionStorage.setItem(TOKEN_KEY, t);
}

async function start() {
  const res = await authed('state');
  if (res.status === 401) {
    setToken('');
    return showSignIn(`the server refused the token: ${(await res.text()).slice(0, 200)}`);
  }
  applyState(await res.json());
  $('#signin').hidden = true;
  $('#app').hidden = false;
  $('#signout').hidden = false;
  $('#download').disabled = false;
  connect();
  refreshDiagram();
}

function connect() {
  if (source) source.close();
  setConn('wait', 'connecting');
  source = new EventSource(`stream?access_token=${encodeURIComponent(token)}`);
  source.addEventListener('caught-up', () => {
    setConn('on', 'live');
    renderJobs();
    refreshDiagram();
  });
  source.onmessage = (m) => onEvent(JSON.parse(m.data));
  source.onerror = async () => {
    setConn('wait', 'reconnecting');
    // EventSource retries by itself; only a refused token needs the sign-in again
    const probe = await authed('state').catch(() => undefined);
    if (probe && probe.status === 401) {
      setToken('');
      showSignIn('the session ended (token refused); sign in again');
    }
  };
}

function onEvent(e) {
  switch (e.kind) {
    case 'job.created':
      jobs.set(e.jobId, { ...e, history: [[e.at, 'created']], createdAt: e.at });
      known.room.add(e.room);
      known.agent.add(e.agentName);
      if (jobs.size > MAX_JOBS) jobs.delete(jobs.keys().next().value);
      break;
    case 'job.offered':
      jobEvent(e, `offered to ${e.workerId}`);
      break;
    case 'job.rejected':
      jobEvent(e, `rejected by ${e.workerId}`);
      break;
    case 'job.assigned': {
      const j = jobEvent(e, `assigned to ${e.workerId} as ${e.participantIdentity || '(no identity)'}`);
      if (j) j.workerId = e.workerId;
      break;
    }
    case 'job.status': {
      const j = jobEvent(e, `${e.status}${e.error ? ` ${e.error}` : ''}`);
      if (j) j.status = e.status;
      break;
    }
    case 'job.ended': {
      const j = jobEvent(e, `${e.outcome}${e.status ? ` ${e.status}` : ''}`);
      if (j) Object.assign(j, { outcome: e.outcome, reason: e.reason, endedAt: e.at, status: e.status || j.status, workerId: e.workerId || j.workerId });
      break;
    }
    case 'log': {
      const m = /^job (\S+) /.exec(e.message);
      if (m) jobLevel.set(m[1], e.level);
      break;
    }
    case 'room.created':
      known.room.add(e.room);
      break;
    case 'worker.registered':
      known.worker.add(e.workerId);
      known.agent.add(e.agentName);
      break;
    case 'trace.gap':
      $('#stats').dataset.gap = `${e.events} oldest events evicted`;
      break;
    default:
      break;
  }
  if (/^(worker|room|participant|dispatch)\./.test(e.kind)) scheduleState();
  if (e.kind.startsWith('job.')) scheduleJobs();
  scheduleDiagram();
}

function jobEvent(e, text) {
  const j = jobs.get(e.jobId);
  if (j) j.history.push([e.at, text]);
  return j;
}

/** Calls `fn` at most once per `ms`, the last call winning. */
function throttle(fn, ms) {
  let timer;
  return () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      fn();
    }, ms);
  };
}
const scheduleState = throttle(async () => {
  const res = await authed('state').catch(() => undefined);
  if (res && res.ok) applyState(await res.json());
}, 250);
const scheduleJobs = throttle(() => renderJobs(), 200);
const scheduleDiagram = throttle(() => refreshDiagram(), 1000);

function applyState(s) {
  state = s;
  clockOffset = s.now - Date.now();
  for (const w of s.workers) {
    known.worker.add(w.workerId);
    known.agent.add(w.agentName);
  }
  for (const r of s.rooms) known.room.add(r.name);
  renderFilters();
  renderWorkers();
  renderRooms();
  const t = s.trace;
  $('#stats').textContent = `trace: ${t.events.toLocaleString()} events (${(t.bytes / 1048576).toFixed(1)} MB) kept of ${t.lastSeq.toLocaleString()}${t.evictedEvents ? `, ${t.evictedEvents.toLocaleString()} oldest evicted` : ''}`;
}

const filters = () => ({ room: $('#f-room').value, worker: $('#f-worker').value, agent: $('#f-agent').value });

function renderFilters() {
  for (const name of ['room', 'worker', 'agent']) {
    const sel = $(`#f-${name}`);
    const have = new Set([...sel.options].map((o) => o.value));
    for (const v of [...known[name]].sort()) {
      const value = name === 'agent' ? `=${v}` : v;
      if (!have.has(value)) sel.append(h('option', { value }, name === 'agent' && v === '' ? '"" (unnamed)' : v));
    }
  }
}

function jobMatches(j, f) {
  if (f.room && j.room !== f.room) return false;
  if (f.agent && j.agentName !== f.agent.slice(1)) return false;
  if (f.worker && j.workerId !== f.worker && !j.history.some(([, t]) => t.includes(f.worker))) return false;
  return true;
}

const time = (ms) => new Date(ms).toISOString().slice(11, 23);
const outcomeOf = (j) => (j.status === 'JS_FAILED' && !BAD.has(j.outcome) ? 'failed' : j.outcome || (j.workerId ? 'running' : 'pending'));
const isProblem = (j) => BAD.has(j.outcome) || j.status === 'JS_FAILED';

function renderJobs() {
  const f = filters();
  const list = [...jobs.values()].filter((j) => jobMatches(j, f));
  const problems = list.filter(isProblem).reverse();
  const wanted = problems.filter((j) => jobLevel.get(j.jobId) !== 'debug');
  const unwanted = problems.filter((j) => jobLevel.get(j.jobId) === 'debug');
  $('#problems tbody').replaceChildren(
    ...wanted.map((j) =>
      h('tr', { class: 'ended-bad', 'data-job': j.jobId, 'data-outcome': outcomeOf(j) },
        h('td', {}, time(j.endedAt || j.createdAt)), h('td', {}, h('code', {}, j.jobId)), h('td', {}, j.jobType), h('td', {}, j.room),
        h('td', {}, `"${j.agentName}"`), h('td', {}, j.participantIdentity || ''), h('td', {}, h('span', { class: `outcome ${outcomeOf(j)}` }, outcomeOf(j).toUpperCase())),
        h('td', { class: 'reason' }, j.reason || (j.status === 'JS_FAILED' ? 'the worker reported JS_FAILED' : ''))),
    ),
  );
  $('#problems-count').textContent = `(${wanted.length})`;
  $('#problems-none').hidden = wanted.length > 0;
  $('#unwanted-count').textContent = String(unwanted.length);
  $('#unwanted-table tbody').replaceChildren(
    ...unwanted.slice(0, 200).map((j) =>
      h('tr', { 'data-job': j.jobId }, h('td', {}, time(j.endedAt || j.createdAt)), h('td', {}, h('code', {}, j.jobId)), h('td', {}, j.jobType), h('td', {}, j.room), h('td', {}, j.participantIdentity || ''), h('td', { class: 'muted' }, j.reason)),
    ),
  );
  const shown = list.slice(-300).reverse();
  $('#jobs-count').textContent = `(${list.length}${list.length > shown.length ? `, newest ${shown.length} shown` : ''})`;
  $('#jobs tbody').replaceChildren(
    ...shown.map((j) =>
      h('tr', { 'data-job': j.jobId },
        h('td', {}, h('code', {}, j.jobId)), h('td', {}, j.jobType), h('td', {}, j.room), h('td', {}, `"${j.agentName}"`), h('td', {}, j.participantIdentity || ''), h('td', {}, j.workerId || ''),
        h('td', { class: 'history' }, j.history.map(([at, t]) => `${time(at)} ${t}`).join(' → ')),
        h('td', {}, h('span', { class: `outcome ${outcomeOf(j)}` }, outcomeOf(j).toUpperCase()), j.reason && !isProblem(j) ? h('div', { class: 'muted' }, j.reason) : undefined)),
    ),
  );
}

function renderWorkers() {
  const f = filters();
  const list = state.workers.filter((w) => (!f.worker || w.workerId === f.worker) && (!f.agent || w.agentName === f.agent.slice(1)));
  $('#workers-count').textContent = `(${list.length})`;
  $('#workers tbody').replaceChildren(
    ...list.map((w) =>
      h('tr', { 'data-worker': w.workerId },
        h('td', {}, h('code', {}, w.workerId)), h('td', {}, `"${w.agentName}"`), h('td', {}, w.jobType), h('td', {}, w.namespace || '–'),
        h('td', {}, w.status.replace('WS_', '')), h('td', {}, w.load.toFixed(2)), h('td', {}, w.runningJobs.length ? w.runningJobs.join(', ') : '0'),
        h('td', {}, w.version || '–'), h('td', {}, w.runtime), h('td', {}, w.connectedAt ? ago(w.connectedAt) : '–')),
    ),
  );
}

function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() + clockOffset - ms) / 1000));
  return s < 90 ? `${s} s ago` : s < 5400 ? `${Math.round(s / 60)} min ago` : `${(s / 3600).toFixed(1)} h ago`;
}

function timerText(r) {
  if (!r.timer) return { cls: 'timer occupied', text: 'occupied' };
  const left = Math.max(0, Math.ceil((r.timer.closesAt - (Date.now() + clockOffset)) / 1000));
  const mmss = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return { cls: 'timer', text: `${r.timer.kind} timeout (${r.timer.timeoutSec} s): closes in ${mmss}` };
}

function renderRooms() {
  const f = filters();
  const rooms = state.rooms.filter((r) => !f.room || r.name === f.room);
  $('#rooms-count').textContent = `(${rooms.length})`;
  $('#rooms').replaceChildren(
    ...rooms.map((r) => {
      const t = timerText(r);
      const people = r.participants.filter((p) => p.kind !== 'agent');
      const agents = r.participants.filter((p) => p.kind === 'agent');
      const person = (p) =>
        h('li', {}, h('b', {}, p.identity), ' ', h('span', { class: `kind ${p.kind}` }, p.kind), p.virtual ? ' (virtual)' : '',
          p.tracks.length ? ` tracks: ${p.tracks.map((x) => `${x.type.toLowerCase()}/${x.source.toLowerCase()}${x.name ? ` "${x.name}"` : ''}`).join(', ')}` : ' no tracks');
      return h('div', { class: 'room', 'data-room': r.name },
        h('h3', {}, r.name, ' ', h('span', { class: 'muted' }, r.sid)),
        h('div', { class: t.cls, 'data-timer': r.name }, t.text),
        h('div', {}, `participants (${people.length})`), h('ul', {}, people.map(person)),
        h('div', {}, `agents (${agents.length})`), h('ul', {}, agents.map(person)),
        h('div', {}, `dispatches (${r.dispatches.length})`),
        h('ul', {}, r.dispatches.map((d) => h('li', {}, h('code', {}, d.id), ` agent "${d.agentName}", ${d.jobs.length} job(s) recorded`))));
    }),
  );
}

async function refreshDiagram() {
  if (!token || $('#app').hidden) return;
  const f = filters();
  const q = new URLSearchParams();
  if (f.room) q.set('room', f.room);
  if (f.worker) q.set('worker', f.worker);
  if (f.agent) q.set('agent', f.agent.slice(1));
  const res = await authed(`diagram.svg?${q}`).catch(() => undefined);
  // the SVG is built by the server from escaped text (the HTML report's diagram)
  if (res && res.ok) $('#diagram').innerHTML = await res.text();
}

async function download() {
  const res = await authed('events?download=1');
  if (!res.ok) return alert(`download failed: ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = h('a', { href: url, download: `dispatch-lab-trace-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

document.addEventListener('DOMContentLoaded', () => {
  $('#signin-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      setToken(await signToken($('#api-key').value.trim(), $('#api-secret').value));
      await start();
    } catch (e) {
      showSignIn(e.message);
    }
  });
  $('#signout').addEventListener('click', () => {
    setToken('');
    showSignIn('signed out');
  });
  $('#download').addEventListener('click', () => void download());
  for (const id of ['#f-room', '#f-worker', '#f-agent'])
    $(id).addEventListener('change', () => {
      renderWorkers();
      renderRooms();
      renderJobs();
      refreshDiagram();
    });
  // timers count down between state refreshes; rooms and workers are re-read every 2 s
  setInterval(() => {
    for (const r of state.rooms) {
      const el = document.querySelector(`[data-timer="${CSS.escape(r.name)}"]`);
      if (el) el.textContent = timerText(r).text;
    }
  }, 1000);
  setInterval(() => token && !$('#app').hidden && scheduleState(), 2000);
  void boot();
});
