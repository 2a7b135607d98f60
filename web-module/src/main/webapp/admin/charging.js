// The operator's charging page: GET /api/charging/status and /api/charging/records (same origin; the browser's Basic
// login covers both). Text only (textContent): nothing from a record is ever parsed as HTML.

const API = '/api/charging/';

function status(text, failed = false) {
  const line = document.getElementById('status');
  line.textContent = text;
  line.className = failed ? 'failed' : '';
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const value of cells) {
    const td = document.createElement('td');
    td.textContent = value === undefined || value === null ? '' : String(value);
    tr.append(td);
  }
  return tr;
}

async function get(path) {
  const response = await fetch(API + path, { credentials: 'same-origin' });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(json.error || `HTTP ${response.status}`);
  }
  return json;
}

async function showStatus() {
  const s = await get('status');
  const body = document.querySelector('#peers tbody');
  body.replaceChildren(
    ...(s.rfPeers || []).map((p) => row(['Rf (CDF)', p.peer, p.state])),
    ...(s.roPeers || []).map((p) => row(['Ro (OCS)', p.peer, p.state])));
  const counts = s.records || {};
  document.getElementById('counters').textContent = `mode ${s.mode}; records pending ${counts.pending || 0}, `
    + `delivered ${counts.delivered || 0}, rejected ${counts.rejected || 0}`
    + (s.queued === undefined ? '' : `; waiting to be stored ${s.queued}, in memory ${s.inMemory}, `
      + `failed attempts ${s.failedAttempts}`);
}

async function showRecords(event) {
  if (event) {
    event.preventDefault();
  }
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(document.getElementById('filter'))) {
    if (value) {
      query.set(name, value);
    }
  }
  try {
    const { records } = await get(`records?${query}`);
    document.querySelector('#records tbody').replaceChildren(...records.map((r) => row([r.id, r.createdAt, r.type,
      r.number, r.method, r.role, r.impu, r.remote, r.provider, r.icid, r.causeCode, r.state, r.attempts,
      r.lastResult])));
    status(`${records.length} records`);
  } catch (e) {
    status(e.message, true);
  }
}

document.getElementById('filter').addEventListener('submit', showRecords);
showStatus().catch((e) => status(e.message, true));
showRecords();
