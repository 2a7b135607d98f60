// The operator's policy page: lists and edits the four layers of /api/policy, shows the effective policy of a user,
// Origin and address, and the audit trail. Same origin as the API; the browser's Basic login covers both.

const API = '/api/policy/';

/** The fields of each layer (POLICY_API): kind "list" is comma-separated text, "number", "bool" or "services". */
const LAYERS = {
  default: { key: null, fields: ['services', 'barredDestinations', 'allowedDestinations', 'maxCalls', 'maxCallSeconds'] },
  subscribers: { key: 'impu', fields: ['barred', 'services', 'barredDestinations', 'allowedDestinations', 'maxCalls', 'maxCallSeconds'] },
  providers: { key: 'id', fields: ['origins', 'services', 'barredDestinations', 'allowedDestinations', 'maxCalls', 'maxRegistrations', 'guestPool', 'guestDestinations'] },
  networks: { key: 'name', fields: ['cidrs', 'qos', 'services'] },
};
const KIND = {
  services: 'list', barredDestinations: 'list', allowedDestinations: 'list', origins: 'list', cidrs: 'list',
  guestPool: 'json', guestDestinations: 'list', maxCalls: 'number', maxCallSeconds: 'number',
  maxRegistrations: 'number', barred: 'bool', qos: 'bool',
};
const KEY_LABEL = { impu: 'Public identity (IMPU)', id: 'Provider id', name: 'Network name' };

const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
};

function status(text, failed = false) {
  const line = document.getElementById('status');
  line.textContent = text;
  line.className = failed ? 'failed' : '';
}

async function call(method, path, body) {
  const response = await fetch(API + path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  return { status: response.status, json };
}

function pathOf(layer, key) {
  return layer === 'default' ? 'default' : `${layer}/${encodeURIComponent(key)}`;
}

function buildForm(layer) {
  const { key, fields } = LAYERS[layer];
  const form = document.getElementById(`form-${layer}`);
  form.replaceChildren();
  if (key) {
    form.append(el('label', {}, KEY_LABEL[key], el('input', { id: `${layer}-key`, name: key, required: '' })),
      el('span', { class: 'error', id: `err-${layer}-${key}` }));
  }
  for (const field of fields) {
    const id = `${layer}-${field}`;
    let input;
    if (KIND[field] === 'bool') {
      input = el('select', { id, name: field }, el('option', { value: '' }, '(not set)'),
        el('option', { value: 'true' }, 'yes'), el('option', { value: 'false' }, 'no'));
    } else {
      const hint = { list: 'comma-separated, or none', json: '{"pattern":"sip:g-{n}@…","size":10}' };
      input = el('input', { id, name: field, placeholder: hint[KIND[field]] || '' });
    }
    form.append(el('label', {}, field, input), el('span', { class: 'error', id: `err-${layer}-${field}` }));
  }
  form.append(el('button', { type: 'submit', id: `${layer}-save` }, 'Save'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save(layer).catch((error) => status(`Saving failed: ${error.message}`, true));
  });
}

function valueOf(layer, field) {
  const raw = document.getElementById(`${layer}-${field}`).value.trim();
  if (raw === '') {
    return undefined;
  }
  switch (KIND[field]) {
    // "none": an empty list, e.g. no services at all (an empty field leaves the part unset)
    case 'list': return raw === 'none' ? [] : raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
    case 'number': return /^-?\d+$/.test(raw) ? Number(raw) : raw; // the server names a bad number
    case 'bool': return raw === 'true';
    case 'json': try { return JSON.parse(raw); } catch (error) { return raw; } // the server names what is wrong
    default: return raw;
  }
}

function fill(layer, entry) {
  const { key, fields } = LAYERS[layer];
  if (key) {
    document.getElementById(`${layer}-key`).value = entry[key] ?? '';
  }
  for (const field of fields) {
    const value = entry[field];
    document.getElementById(`${layer}-${field}`).value = value === undefined ? ''
      : KIND[field] === 'json' ? JSON.stringify(value)
        : Array.isArray(value) ? (value.length === 0 ? 'none' : value.join(', ')) : String(value);
  }
}

function clearErrors(layer) {
  for (const span of document.querySelectorAll(`[id^="err-${layer}-"]`)) {
    span.textContent = '';
  }
}

async function save(layer) {
  clearErrors(layer);
  const { key, fields } = LAYERS[layer];
  const body = {};
  for (const field of fields) {
    const value = valueOf(layer, field);
    if (value !== undefined) {
      body[field] = value;
    }
  }
  const keyValue = key ? document.getElementById(`${layer}-key`).value.trim() : null;
  const { status: code, json } = await call('PUT', pathOf(layer, keyValue), body);
  if (code === 200 || code === 201) {
    status(`Saved ${layer === 'default' ? 'the operator default' : keyValue}.`);
    await refresh();
    return;
  }
  const field = json && json.field;
  const target = document.getElementById(`err-${layer}-${field === 'body' ? fields[0] : field}`);
  if (target) {
    target.textContent = json.error;
  }
  status(`Not saved: ${json ? json.error : code}`, true);
}

async function remove(layer, key) {
  const { status: code } = await call('DELETE', pathOf(layer, key));
  status(code === 204 ? `Deleted ${key}.` : `Not deleted (${code}).`, code !== 204);
  await refresh();
}

function cellText(value) {
  if (value === undefined) {
    return '';
  }
  return Array.isArray(value) ? value.join(', ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

async function listLayer(layer) {
  const { key, fields } = LAYERS[layer];
  const table = document.getElementById(`list-${layer}`);
  table.tHead.replaceChildren(el('tr', {}, el('th', {}, key), ...fields.map((f) => el('th', {}, f)), el('th', {}, '')));
  const { json } = await call('GET', layer);
  table.tBodies[0].replaceChildren(...(json || []).map((entry) => {
    const edit = el('button', { type: 'button', class: 'edit' }, 'Edit');
    edit.addEventListener('click', () => fill(layer, entry));
    const del = el('button', { type: 'button', class: 'delete' }, 'Delete');
    del.addEventListener('click', () => remove(layer, entry[key]).catch((e) => status(e.message, true)));
    return el('tr', { 'data-key': entry[key] }, el('td', {}, entry[key]),
      ...fields.map((f) => el('td', {}, cellText(entry[f]))), el('td', {}, edit, ' ', del));
  }));
}

function setBy(part) {
  return part && part.layer ? `${part.layer} ${part.name}` : '';
}

async function showEffective() {
  const params = new URLSearchParams();
  for (const name of ['impu', 'origin', 'address']) {
    const value = document.getElementById(`eff-${name}`).value.trim();
    if (value) {
      params.set(name, value);
    }
  }
  document.getElementById('err-effective-address').textContent = '';
  const { status: code, json } = await call('GET', `effective?${params}`);
  if (code !== 200) {
    document.getElementById('err-effective-address').textContent = json ? json.error : String(code);
    return;
  }
  const rows = [
    ['provider', json.provider ?? '(none)', ''],
    ['access network', json.network ?? '(none)', ''],
    ['barred', json.barred.value ? 'yes' : 'no', setBy(json.barred)],
    ...Object.entries(json.services).map(([service, part]) => [service, part.allowed ? 'allowed' : 'not allowed',
      setBy(part)]),
    ...json.barredDestinations.map((d) => ['barred destination', d.prefix, setBy(d)]),
    ...json.allowedDestinations.map((a) => ['allowed destinations', a.prefixes.join(', '), setBy(a)]),
    ...['maxCalls', 'maxCallSeconds', 'providerMaxCalls', 'providerMaxRegistrations'].map((field) => [field,
      json[field] ? String(json[field].value) : '(no limit)', setBy(json[field])]),
    ['qos', json.qos.value ? 'yes' : 'no', setBy(json.qos)],
  ];
  document.querySelector('#effective-table tbody').replaceChildren(...rows.map(([part, value, by]) =>
    el('tr', { 'data-part': part }, el('td', {}, part), el('td', {}, value), el('td', {}, by))));
}

async function listChanges() {
  const { json } = await call('GET', 'changes?limit=50');
  const text = (doc) => (doc ? JSON.stringify(doc) : '');
  document.querySelector('#changes-table tbody').replaceChildren(...(json || []).map((c) => el('tr', {},
    el('td', {}, c.at), el('td', {}, c.who), el('td', {}, c.layer), el('td', {}, c.key), el('td', {}, c.action),
    el('td', {}, el('code', {}, text(c.before))), el('td', {}, el('code', {}, text(c.after))))));
}

async function refresh() {
  const { json: operator } = await call('GET', 'default');
  fill('default', operator || {});
  await Promise.all(['subscribers', 'providers', 'networks'].map(listLayer));
  await listChanges();
}

for (const layer of Object.keys(LAYERS)) {
  buildForm(layer);
}
document.getElementById('form-effective').addEventListener('submit', (event) => {
  event.preventDefault();
  showEffective().catch((error) => status(error.message, true));
});
refresh().then(() => status('Loaded.')).catch((error) => status(`Loading failed: ${error.message}`, true));
