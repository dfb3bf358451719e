// retrain-trigger console: a small single-page app over the REST API (/api), plain JavaScript, no
// framework, nothing fetched from outside. Every value from the API reaches the page as text
// (textContent, text nodes, SVG attributes), never as markup.
'use strict';

(function () {
  const AUTH_KEY = 'retrain-console-auth';
  const REFRESH_MS = 3000;
  const OUTCOMES = ['LAUNCHED', 'DEFERRED', 'REJECTED', 'LOGGED', 'AWAITING_APPROVAL', 'FAILED', 'MISSED_SIGNAL'];
  const OUTCOME_COLORS = {
    LAUNCHED: '#2e7d32', DEFERRED: '#f9a825', REJECTED: '#c62828', LOGGED: '#90a4ae',
    AWAITING_APPROVAL: '#6a1b9a', FAILED: '#4e342e', MISSED_SIGNAL: '#ef6c00'
  };
  const SEVERITY_COLORS = { LOW: '#90a4ae', MEDIUM: '#f9a825', HIGH: '#ef6c00', CRITICAL: '#c62828' };
  const SERIES_COLORS = ['#1565c0', '#ef6c00', '#2e7d32', '#6a1b9a', '#c62828', '#00838f', '#5d4037', '#ad1457'];
  const SVG_NS = 'http://www.w3.org/2000/svg';

  let auth = null;      // {user, header}: kept in sessionStorage, for this tab only
  let me = null;        // {user, roles} from GET /api/me
  let view = 'overview';
  let timer = null;
  let refreshing = false;
  let selectedDecision = null;   // id of the decision shown in the detail pane
  let dataOffset = 0;
  const DATA_PAGE = 20;

  const $ = (id) => document.getElementById(id);

  // ---- DOM helpers: text only ----------------------------------------------------------------
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = String(v);
        else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(e.dataset, v);
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function svg(tag, attrs, ...children) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null) continue;
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  /** Replaces a container's children by the items' elements, keeping those whose key and content did not change (typed comments, focus). */
  function syncList(container, items, key, render) {
    const old = new Map();
    for (const c of Array.from(container.children)) old.set(c.dataset.key, c);
    const next = items.map((item) => {
      const k = key(item);
      const sig = JSON.stringify(item);
      const prev = old.get(k);
      if (prev && prev.dataset.sig === sig) return prev;
      const e = render(item);
      e.dataset.key = k;
      e.dataset.sig = sig;
      return e;
    });
    container.replaceChildren(...next);
  }

  function emptyRow(tbody, columns, text) {
    tbody.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: columns, text })));
  }

  // ---- time and numbers ----------------------------------------------------------------------
  function utc(s) {
    if (!s) return '–';
    const d = new Date(s);
    if (isNaN(d)) return String(s);
    return d.toISOString().slice(0, 19).replace('T', ' ') + 'Z';
  }

  function relative(s) {
    if (!s) return '';
    const ms = new Date(s).getTime() - Date.now();
    if (isNaN(ms)) return '';
    const a = Math.abs(ms);
    const text = a < 60e3 ? Math.round(a / 1e3) + ' s' : a < 3600e3 ? Math.round(a / 60e3) + ' min'
      : a < 86400e3 ? (a / 3600e3).toFixed(1) + ' h' : (a / 86400e3).toFixed(1) + ' d';
    return ms >= 0 ? 'in ' + text : text + ' ago';
  }

  function when(s) {
    return s ? utc(s) + ' (' + relative(s) + ')' : '–';
  }

  function num(v, digits) {
    if (v === null || v === undefined) return '–';
    return typeof v === 'number' ? (digits === undefined ? String(v) : v.toFixed(digits)) : String(v);
  }

  function bytes(n) {
    if (n === null || n === undefined) return '–';
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let v = n, u = 0;
    while (v >= 1000 && u < units.length - 1) { v /= 1000; u++; }
    return (u === 0 ? v : v.toFixed(1)) + ' ' + units[u];
  }

  function span(ms) {
    const s = Math.round(ms / 1000);
    return s < 60 ? s + ' s' : s < 3600 ? Math.floor(s / 60) + ' min' : s < 86400 ? (s / 3600).toFixed(1) + ' h' : (s / 86400).toFixed(1) + ' d';
  }

  function isoDuration(s) {
    // PT6H, PT1H30M, PT0S: as Java prints a Duration
    return typeof s === 'string' ? s.replace(/^PT/, '').toLowerCase() : String(s);
  }

  // ---- the API -------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function basicHeader(user, password) {
    const raw = new TextEncoder().encode(user + ':' + password);
    let bin = '';
    for (const b of raw) bin += String.fromCharCode(b);
    return 'Basic ' + btoa(bin);
  }

  /**
   * One call of the API with the tab's credentials in an explicit Authorization header. credentials:
   * 'omit' keeps the browser's own HTTP authentication out of it: the API's 401 carries a Basic
   * challenge (WWW-Authenticate: basic), and for a request that may use credentials Chromium answers
   * such a challenge with its native login prompt.
   */
  async function api(path, options) {
    const o = options || {};
    const headers = { Accept: 'application/json', Authorization: o.authorization || (auth && auth.header) || '' };
    if (o.body !== undefined) headers['Content-Type'] = o.type || 'application/json';
    let res;
    try {
      res = await fetch(path, {
        method: o.method || 'GET', headers, credentials: 'omit', cache: 'no-store',
        body: o.body === undefined ? undefined : (typeof o.body === 'string' ? o.body : JSON.stringify(o.body))
      });
    } catch (e) {
      throw new ApiError(0, 'the service does not answer (' + e.message + ')');
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
    if (!res.ok) {
      const message = json && typeof json.error === 'string' ? json.error : res.status + ' ' + res.statusText;
      throw new ApiError(res.status, message);
    }
    return json;
  }

  function has(role) {
    return !!(me && Array.isArray(me.roles) && me.roles.includes(role));
  }

  // ---- login ---------------------------------------------------------------------------------
  async function login(user, password) {
    const header = basicHeader(user, password);
    const who = await api('/api/me', { authorization: header });
    auth = { user, header };
    sessionStorage.setItem(AUTH_KEY, JSON.stringify(auth));
    me = who;
    enter();
  }

  function logout(message) {
    auth = null;
    me = null;
    sessionStorage.removeItem(AUTH_KEY);
    if (timer) clearInterval(timer);
    timer = null;
    for (const v of document.querySelectorAll('.view')) v.hidden = true;
    $('nav').hidden = true;
    $('who').hidden = true;
    $('status').hidden = true;
    $('login-view').hidden = false;
    $('login-password').value = '';
    // what was rendered for the last user goes with them (their buttons too: rows are kept while unchanged)
    for (const id of ['pipelines', 'decisions', 'approvals', 'approvals-resolved', 'dead-letters', 'routes', 'chart-outcomes', 'chart-drift', 'bt-result']) {
      $(id).replaceChildren();
      delete $(id).dataset.sig;
    }
    selectedDecision = null;
    $('decision-detail').hidden = true;
    $('decision-detail').replaceChildren();
    delete $('decision-detail').dataset.sig;
    $('approval-count').textContent = '';
    $('ev-result').textContent = '';
    $('bt-error').hidden = true;
    showLoginError(message);
  }

  function showLoginError(message) {
    const e = $('login-error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  function enter() {
    $('login-view').hidden = true;
    showLoginError(null);
    $('nav').hidden = false;
    $('who').hidden = false;
    $('who-user').textContent = me.user;
    $('who-roles').textContent = '(' + (me.roles || []).join(', ') + ')';
    for (const e of document.querySelectorAll('[data-role]')) e.hidden = !has(e.dataset.role);
    if (!$('bt-from').value) {
      const now = new Date();
      $('bt-to').value = new Date(now.getTime() + 86400e3).toISOString().slice(0, 10) + 'T00:00:00Z';
      $('bt-from').value = new Date(now.getTime() - 6 * 86400e3).toISOString().slice(0, 10) + 'T00:00:00Z';
    }
    show(viewFromHash());
    if (timer) clearInterval(timer);
    timer = setInterval(refresh, REFRESH_MS);
  }

  function viewFromHash() {
    const v = location.hash.replace('#', '');
    const button = document.querySelector('#nav button[data-view="' + CSS.escape(v) + '"]');
    return button && !button.hidden ? v : 'overview';
  }

  function show(v) {
    view = v;
    for (const b of document.querySelectorAll('#nav button')) b.classList.toggle('active', b.dataset.view === v);
    for (const s of document.querySelectorAll('.view')) s.hidden = s.id !== 'view-' + v;
    refresh(true);
  }

  // ---- refresh -------------------------------------------------------------------------------
  function setStatus(message) {
    const s = $('status');
    s.textContent = message || '';
    s.hidden = !message;
  }

  async function refresh(force) {
    if (!auth || refreshing) return;
    refreshing = true;
    try {
      const pending = await api('/api/approvals?status=PENDING&limit=1000');
      $('approval-count').textContent = pending.length ? String(pending.length) : '';
      if (view === 'overview') await renderOverview(pending);
      else if (view === 'decisions') await renderDecisions();
      else if (view === 'approvals') await renderApprovals(pending);
      else if (view === 'dead-letters') await renderDeadLetters();
      else if (view === 'routes') await renderRoutes();
      else if (view === 'charts') await renderCharts(force === true);
      setStatus(null);
    } catch (e) {
      if (e.status === 401) logout('Your login is no longer accepted: log in again.');
      else setStatus(e.message);
    } finally {
      refreshing = false;
    }
  }

  // ---- pipelines at a glance -----------------------------------------------------------------
  function meter(value, max, label) {
    const w = 160, h = 10;
    const ratio = max > 0 ? Math.min(1, Math.max(0, value / max)) : 0;
    const color = ratio >= 1 ? '#c62828' : ratio >= 0.75 ? '#ef6c00' : '#2e7d32';
    return svg('svg', { class: 'meter', width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img' },
      svg('title', {}, label),
      svg('rect', { x: 0, y: 0, width: w, height: h, rx: 3, fill: '#e0e0e0' }),
      svg('rect', { x: 0, y: 0, width: Math.round(w * ratio), height: h, rx: 3, fill: color }));
  }

  function line(label, ...value) {
    return el('div', { class: 'kv' }, el('span', { class: 'k', text: label }), el('span', { class: 'v' }, ...value));
  }

  async function renderOverview(pending) {
    const [pipelines, findings] = await Promise.all([
      api('/api/pipelines'),
      api('/api/decisions?outcome=MISSED_SIGNAL&limit=200')
    ]);
    const latestFinding = {};
    for (const f of findings) if (!latestFinding[f.pipeline]) latestFinding[f.pipeline] = f; // newest first
    fillPipelineFilter(pipelines.map((p) => p.name));
    const cards = pipelines.map((p) => ({ p, pending: pending.filter((a) => a.pipeline === p.name), finding: latestFinding[p.name] || null }));
    syncList($('pipelines'), cards, (c) => c.p.name, pipelineCard);
    if (!pipelines.length) $('pipelines').replaceChildren(el('p', { class: 'muted', text: 'No pipeline is configured.' }));
  }

  function pipelineCard({ p, pending, finding }) {
    const c = p.config || {}, s = p.state || {};
    const now = Date.now();
    const cooling = s.cooldownUntil && new Date(s.cooldownUntil).getTime() > now;
    const card = el('article', { class: 'card pipeline', dataset: { pipeline: p.name } },
      el('h3', {}, p.name, el('span', { class: 'muted', text: ' ' + (c.target || '') + (c.schedule ? ' · ' + c.schedule : '') })));
    const suspension = pending.find((a) => a.type === 'DRIFT_SUSPENSION');
    if (suspension) {
      card.append(el('p', { class: 'alert suspended' }, el('strong', { text: 'Drift retraining suspended: ' }), suspension.summary || ''));
    }
    if (finding) {
      card.append(el('p', { class: 'alert finding' }, el('strong', { text: 'Missed signal (' + relative(finding.decidedAt) + '): ' }),
        (finding.reasons || []).join('; ')));
    }
    card.append(
      line('last training', when(s.lastTrainingAt)),
      line('cooldown', s.cooldownUntil ? (cooling ? 'until ' + when(s.cooldownUntil) : 'over since ' + utc(s.cooldownUntil)) : 'none',
        el('span', { class: 'muted', text: ' (min interval ' + isoDuration(c.minInterval) + ')' })),
      line('trainings today', meter(s.trainingsToday || 0, c.maxDailyTrainings, 'trainings today'),
        ' ' + num(s.trainingsToday) + ' / ' + num(c.maxDailyTrainings)),
      line('spend today', meter(s.spendToday || 0, c.dailyBudget, 'spend today'),
        ' ' + num(s.spendToday, 1) + ' / ' + num(c.dailyBudget, 1)));
    const b = s.openBatch;
    if (b) {
      const opened = new Date(b.firstEventAt).getTime(), closes = new Date(b.closesAt).getTime();
      card.append(
        line('open batch', meter(b.events, c.batchSize, 'events in the open batch'), ' ' + num(b.events) + ' / ' + num(c.batchSize) + ' events, ' + bytes(b.bytes)),
        line('batch window', meter(now - opened, closes - opened, 'time of the window gone'), ' closes ' + when(b.closesAt)));
    } else {
      card.append(line('open batch', el('span', { class: 'muted', text: 'none (window ' + isoDuration(c.batchWindow) + ', size ' + num(c.batchSize) + ')' })));
    }
    if (s.deferred) {
      card.append(line('deferred', 'p' + num(s.deferred.priority) + ' due ' + when(s.deferred.dueAt) + ': ' + (s.deferred.reason || '')));
    }
    card.append(line('pending approvals', pending.length
      ? pending.map((a) => a.type).join(', ')
      : el('span', { class: 'muted', text: 'none' })));
    return card;
  }

  function fillPipelineFilter(names) {
    const select = $('filter-pipeline');
    const have = Array.from(select.options).map((o) => o.value).filter((v) => v);
    if (JSON.stringify(have) === JSON.stringify(names)) return;
    const current = select.value;
    select.replaceChildren(el('option', { value: '', text: 'all' }), ...names.map((n) => el('option', { value: n, text: n })));
    select.value = names.includes(current) ? current : '';
  }

  // ---- decisions -----------------------------------------------------------------------------
  async function renderDecisions() {
    if ($('filter-pipeline').options.length <= 1) fillPipelineFilter((await api('/api/pipelines')).map((p) => p.name));
    const q = new URLSearchParams({ limit: '200' });
    if ($('filter-pipeline').value) q.set('pipeline', $('filter-pipeline').value);
    if ($('filter-outcome').value) q.set('outcome', $('filter-outcome').value);
    const trigger = $('filter-trigger').value;
    const decisions = (await api('/api/decisions?' + q)).filter((d) => !trigger || d.triggerType === trigger);
    const tbody = $('decisions');
    if (!decisions.length) emptyRow(tbody, 6, 'No decision matches.');
    else syncList(tbody, decisions, (d) => d.id, decisionRow);
    for (const r of tbody.children) r.classList.toggle('selected', r.dataset.key === selectedDecision);
    if (selectedDecision) await renderDetail(false);
  }

  function outcomeTag(outcome) {
    return el('span', { class: 'tag outcome-' + String(outcome).toLowerCase(), text: outcome === 'MISSED_SIGNAL' ? '⚠ MISSED_SIGNAL' : outcome });
  }

  function decisionRow(d) {
    return el('tr', {
      class: 'decision' + (d.outcome === 'MISSED_SIGNAL' ? ' finding' : ''),
      dataset: { id: d.id, outcome: d.outcome, pipeline: d.pipeline },
      onclick: () => { selectedDecision = d.id; dataOffset = 0; renderDetail(true); for (const r of $('decisions').children) r.classList.toggle('selected', r.dataset.key === d.id); }
    },
    el('td', { text: utc(d.decidedAt), title: relative(d.decidedAt) }),
    el('td', { text: d.pipeline }),
    el('td', { text: d.triggerType }),
    el('td', { text: d.priority }),
    el('td', {}, outcomeTag(d.outcome), d.launch ? el('span', { class: 'muted', text: ' ' + d.launch.status }) : null),
    el('td', { class: 'reasons' }, (d.reasons || []).map((r) => el('div', { text: r }))));
  }

  function table(obj) {
    const t = el('table', { class: 'kvtable' });
    for (const [k, v] of Object.entries(obj || {})) {
      t.append(el('tr', {}, el('th', { text: k }), el('td', { text: v === null || v === undefined ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v) })));
    }
    return t;
  }

  async function renderDetail(force) {
    const pane = $('decision-detail');
    const id = selectedDecision;
    let d, data;
    try {
      [d, data] = await Promise.all([
        api('/api/decisions/' + encodeURIComponent(id)),
        api('/api/decisions/' + encodeURIComponent(id) + '/data?offset=' + dataOffset + '&limit=' + DATA_PAGE)
      ]);
    } catch (e) {
      if (e.status === 401) throw e;
      pane.hidden = false;
      pane.replaceChildren(el('p', { class: 'error', text: e.message }));
      return;
    }
    if (id !== selectedDecision) return;
    const sig = JSON.stringify([d, data]);
    if (!force && pane.dataset.sig === sig) return;
    pane.dataset.sig = sig;
    pane.hidden = false;
    const parts = [
      el('div', { class: 'detail-head' }, el('h3', { text: d.id }), el('button', { type: 'button', class: 'close', text: '×', title: 'close',
        onclick: () => { selectedDecision = null; pane.hidden = true; pane.dataset.sig = ''; } })),
      table({ pipeline: d.pipeline, trigger: d.triggerType, priority: d.priority, outcome: d.outcome, decided: utc(d.decidedAt),
        'deferred until': d.deferredUntil ? utc(d.deferredUntil) : null, 'estimated cost': d.estimatedCost }),
      el('h4', { text: 'Reasons' }), el('ul', {}, (d.reasons || []).map((r) => el('li', { text: r })))
    ];
    if (d.request) {
      const { metadata, ...rest } = d.request;
      parts.push(el('h4', { text: 'Request' }), table(rest), table(metadata));
    }
    if (d.launch) {
      const { parameters, ...rest } = d.launch;
      parts.push(el('h4', { text: 'Launch' }), table(rest), el('h5', { text: 'Parameters' }), table(parameters));
    }
    if (d.evaluation) {
      const ev = d.evaluation;
      parts.push(el('h4', { text: 'Evaluation' }), table({ outcome: ev.outcome, 'awaiting since': ev.awaitingSince, evaluated: ev.evaluatedAt, source: ev.source }));
      if (ev.checks && ev.checks.length) {
        parts.push(el('table', { class: 'list' }, el('tr', {}, ['check', 'passed', 'value', 'limit', 'reason'].map((h) => el('th', { text: h }))),
          ev.checks.map((c) => el('tr', { class: c.passed ? '' : 'failed' }, el('td', { text: c.name }), el('td', { text: c.passed ? 'yes' : 'no' }),
            el('td', { text: num(c.value) }), el('td', { text: num(c.limit) }), el('td', { text: c.reason || '' })))));
      }
      if (ev.reasons && ev.reasons.length) parts.push(el('ul', {}, ev.reasons.map((r) => el('li', { text: r }))));
      if (ev.promotion) parts.push(el('h5', { text: 'Promotion' }), table(ev.promotion));
    }
    parts.push(el('h4', { text: 'Data (' + data.total + ' objects)' }));
    if (data.uris.length) parts.push(el('ol', { class: 'uris', start: data.offset + 1 }, data.uris.map((u) => el('li', { text: u }))));
    parts.push(el('div', { class: 'pager' },
      el('button', { type: 'button', id: 'data-prev', disabled: data.offset <= 0, text: '‹ previous',
        onclick: () => { dataOffset = Math.max(0, dataOffset - DATA_PAGE); renderDetail(true); } }),
      el('span', { class: 'muted', text: data.total ? ' ' + (data.offset + 1) + '–' + (data.offset + data.uris.length) + ' of ' + data.total + ' ' : ' none ' }),
      el('button', { type: 'button', id: 'data-next', disabled: data.offset + data.uris.length >= data.total, text: 'next ›',
        onclick: () => { dataOffset += DATA_PAGE; renderDetail(true); } })));
    pane.replaceChildren(...parts);
  }

  // ---- approvals -----------------------------------------------------------------------------
  async function renderApprovals(pending) {
    const box = $('approvals');
    if (!pending.length) box.replaceChildren(el('p', { class: 'muted empty', text: 'Nothing waits for approval.' }));
    else {
      if (box.querySelector('.empty')) box.replaceChildren();
      syncList(box, pending, (a) => a.id, approvalCard);
    }
    const all = await api('/api/approvals?limit=100');
    const resolved = all.filter((a) => a.status !== 'PENDING');
    const tbody = $('approvals-resolved');
    if (!resolved.length) emptyRow(tbody, 6, 'None yet.');
    else syncList(tbody, resolved, (a) => a.id, (a) => el('tr', { dataset: { approvalId: a.id, status: a.status } },
      el('td', { text: utc(a.resolvedAt) }), el('td', { text: a.pipeline }), el('td', { text: a.type }),
      el('td', {}, el('span', { class: 'tag status-' + String(a.status).toLowerCase(), text: a.status })),
      el('td', { text: a.resolvedBy || '' }), el('td', { text: a.comment || '' })));
  }

  function approvalCard(a) {
    const card = el('article', { class: 'card approval', dataset: { approvalId: a.id, type: a.type, pipeline: a.pipeline } },
      el('h3', {}, el('span', { class: 'tag', text: a.type }), ' ' + a.pipeline),
      el('p', { class: 'summary', text: a.summary || '' }),
      el('p', { class: 'muted', text: 'opened ' + when(a.createdAt) + ' · ' + a.id + (a.decisionId ? ' · decision ' + a.decisionId : '') }));
    if (has('approver')) {
      const comment = el('input', { class: 'comment', placeholder: 'comment', maxlength: 1000 });
      const result = el('p', { class: 'result', role: 'status' });
      const act = async (action, button) => {
        for (const b of card.querySelectorAll('button')) b.disabled = true;
        try {
          const r = await api('/api/approvals/' + encodeURIComponent(a.id) + '/' + action, { method: 'POST', body: { comment: comment.value } });
          result.className = 'result ok';
          result.textContent = r.approval.status + (r.decision ? ': decision ' + r.decision.id + ' ' + r.decision.outcome : '');
          setTimeout(refresh, 800);
        } catch (e) {
          result.className = 'result error';
          result.textContent = e.message;
          for (const b of card.querySelectorAll('button')) b.disabled = false;
          if (e.status === 401) logout('Your login is no longer accepted: log in again.');
        }
        button.blur();
      };
      card.append(el('div', { class: 'actions' }, comment,
        el('button', { type: 'button', class: 'approve', text: 'Approve', onclick: (ev) => act('approve', ev.target) }),
        el('button', { type: 'button', class: 'reject', text: 'Reject', onclick: (ev) => act('reject', ev.target) })), result);
    }
    return card;
  }

  // ---- dead letters --------------------------------------------------------------------------
  async function renderDeadLetters() {
    const letters = await api('/api/dead-letters?limit=200');
    const tbody = $('dead-letters');
    if (!letters.length) { emptyRow(tbody, 5, 'No dead letter.'); return; }
    syncList(tbody, letters, (l) => l.id, (l) => el('tr', { class: 'dead-letter', dataset: { id: l.id } },
      el('td', { text: utc(l.receivedAt) }), el('td', { text: l.source }), el('td', { text: l.status }),
      el('td', { class: 'reasons', text: l.reason }),
      el('td', {}, el('details', {}, el('summary', { text: String(l.payload || '').slice(0, 60) || '(empty)' }),
        el('pre', { text: l.payload || '' }), table(l.headers)))));
  }

  // ---- routes --------------------------------------------------------------------------------
  async function renderRoutes() {
    const routes = await api('/api/routes');
    const operator = has('operator');
    syncList($('routes'), routes, (r) => r.id, (r) => {
      const controls = el('td', { class: 'controls' });
      controls.hidden = !operator;
      if (operator) {
        const action = r.state === 'Started' ? 'stop' : r.state === 'Suspended' ? 'resume' : 'start';
        controls.append(el('button', { type: 'button', class: 'route-' + action, text: action,
          onclick: async (ev) => {
            ev.target.disabled = true;
            try { await api('/api/routes/' + encodeURIComponent(r.id) + '/' + action, { method: 'POST' }); setStatus(null); } catch (e) { setStatus(r.id + ': ' + e.message); }
            refresh();
          } }));
      }
      return el('tr', { class: 'route' + (r.state === 'Started' ? '' : ' stopped'), dataset: { id: r.id } },
        el('td', { text: r.id, title: r.from || '' }), el('td', { text: r.state }),
        el('td', { text: r.uptimeMillis ? span(r.uptimeMillis) : '–' }),
        el('td', { text: num(r.exchangesTotal) }), el('td', { class: r.exchangesFailed ? 'bad' : '', text: num(r.exchangesFailed) }),
        el('td', { text: num(r.exchangesInflight) }), el('td', { text: num(r.meanProcessingMillis) }), el('td', { text: num(r.maxProcessingMillis) }),
        el('td', { class: 'reasons', text: r.lastFailure || '' }), controls);
    });
  }

  // ---- charts --------------------------------------------------------------------------------
  const CHART = { w: 720, h: 240, left: 44, right: 44, top: 12, bottom: 36 };

  function axes(g, yMax, yTicks, xLabels) {
    const innerH = CHART.h - CHART.top - CHART.bottom;
    for (let i = 0; i <= yTicks; i++) {
      const v = yMax * i / yTicks;
      const y = CHART.top + innerH - innerH * i / yTicks;
      g.append(svg('line', { x1: CHART.left, x2: CHART.w - CHART.right, y1: y, y2: y, stroke: '#e0e0e0' }),
        svg('text', { x: CHART.left - 6, y: y + 4, 'text-anchor': 'end', class: 'tick' }, Number.isInteger(v) ? String(v) : v.toFixed(2)));
    }
    for (const { x, text } of xLabels) {
      g.append(svg('text', { x, y: CHART.h - CHART.bottom + 16, 'text-anchor': 'middle', class: 'tick' }, text));
    }
  }

  function legend(entries) {
    return el('div', { class: 'legend' }, entries.map(([name, color]) =>
      el('span', {}, svg('svg', { width: 12, height: 12 }, svg('rect', { width: 12, height: 12, rx: 2, fill: color })), ' ' + name)));
  }

  /** Stacked bars: one bar per label, one segment per series. */
  function stackedBars(labels, series, title) {
    const innerW = CHART.w - CHART.left - CHART.right, innerH = CHART.h - CHART.top - CHART.bottom;
    const totals = labels.map((_, i) => series.reduce((s, x) => s + (x.values[i] || 0), 0));
    const yMax = countMax(Math.max(...totals));
    const g = svg('svg', { class: 'chart-svg', viewBox: '0 0 ' + CHART.w + ' ' + CHART.h, role: 'img' }, svg('title', {}, title));
    const step = innerW / Math.max(1, labels.length);
    const barW = Math.max(4, Math.min(48, step * 0.7));
    axes(g, yMax, 4, labels.map((l, i) => ({ x: CHART.left + step * i + step / 2, text: labels.length > 14 && i % Math.ceil(labels.length / 14) ? '' : l })));
    labels.forEach((label, i) => {
      let y = CHART.top + innerH;
      for (const s of series) {
        const v = s.values[i] || 0;
        if (!v) continue;
        const h = innerH * v / yMax;
        y -= h;
        g.append(svg('rect', { x: CHART.left + step * i + (step - barW) / 2, y, width: barW, height: h, fill: s.color, class: 'bar' },
          svg('title', {}, label + ' ' + s.name + ': ' + v)));
      }
    });
    return g;
  }

  /** Lines with points over time: each series {name, color, points: [{t, v, color?, label}]}; days: label the x axis by day. */
  function timeLines(series, title, yMaxAtLeast, days) {
    const innerW = CHART.w - CHART.left - CHART.right, innerH = CHART.h - CHART.top - CHART.bottom;
    const all = series.flatMap((s) => s.points);
    const t0 = Math.min(...all.map((p) => p.t)), t1 = Math.max(...all.map((p) => p.t));
    const span = t1 - t0;
    const yMax = niceMax(Math.max(yMaxAtLeast || 0, ...all.map((p) => p.v)));
    const x = (t) => CHART.left + (span === 0 ? innerW / 2 : innerW * (t - t0) / span);
    const y = (v) => CHART.top + innerH - innerH * v / yMax;
    const g = svg('svg', { class: 'chart-svg', viewBox: '0 0 ' + CHART.w + ' ' + CHART.h, role: 'img' }, svg('title', {}, title));
    const ticks = span === 0 ? [t0] : [t0, t0 + span / 2, t1];
    const format = (t) => {
      const iso = new Date(t).toISOString();
      return days || span >= 2 * 86400e3 ? iso.slice(0, 10) : span < 2 * 3600e3 ? iso.slice(11, 19) : iso.slice(5, 16).replace('T', ' ');
    };
    axes(g, yMax, 4, ticks.map((t) => ({ x: x(t), text: format(t) })));
    for (const s of series) {
      const pts = s.points.slice().sort((a, b) => a.t - b.t);
      if (pts.length > 1) g.append(svg('polyline', { points: pts.map((p) => x(p.t).toFixed(1) + ',' + y(p.v).toFixed(1)).join(' '), fill: 'none', stroke: s.color, 'stroke-width': 1.5 }));
      for (const p of pts) {
        g.append(svg('circle', { cx: x(p.t).toFixed(1), cy: y(p.v).toFixed(1), r: 4, fill: p.color || s.color, stroke: s.color, class: 'point' },
          svg('title', {}, p.label)));
      }
    }
    return g;
  }

  /** A y axis for counts: four whole-number steps. */
  function countMax(v) {
    return Math.max(4, Math.ceil(v / 4) * 4);
  }

  function niceMax(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  let chartsAt = 0;
  const CHARTS_MS = 15000;   // the charts read the newest 1,000 decisions: not at every refresh

  async function renderCharts(force) {
    if (!force && Date.now() - chartsAt < CHARTS_MS) return;
    chartsAt = Date.now();
    const decisions = await api('/api/decisions?limit=1000');
    const sig = JSON.stringify(decisions.map((d) => [d.id, d.outcome]));
    const box = $('chart-outcomes');
    if (box.dataset.sig === sig) return;
    box.dataset.sig = sig;

    // decisions by outcome, stacked per UTC day
    const days = Array.from(new Set(decisions.map((d) => String(d.decidedAt).slice(0, 10)))).sort();
    const present = OUTCOMES.filter((o) => decisions.some((d) => d.outcome === o));
    if (!decisions.length) box.replaceChildren(el('p', { class: 'muted', text: 'No decision yet.' }));
    else {
      const series = present.map((o) => ({ name: o, color: OUTCOME_COLORS[o], values: days.map((day) => decisions.filter((d) => d.outcome === o && String(d.decidedAt).startsWith(day)).length) }));
      box.replaceChildren(stackedBars(days, series, 'decisions by outcome per day'), legend(present.map((o) => [o, OUTCOME_COLORS[o]])),
        el('p', { class: 'muted', text: 'The newest ' + decisions.length + ' decisions.' }));
    }

    // drift scores over time, from the drift decisions' requests (an approved review repeats its alert's score: left out)
    const drift = decisions.filter((d) => d.triggerType === 'DRIFT' && d.request && d.request.metadata
      && typeof d.request.metadata.driftScore === 'number' && !d.request.metadata.reviewId);
    const pipelines = Array.from(new Set(drift.map((d) => d.pipeline))).sort();
    const dbox = $('chart-drift');
    if (!drift.length) { dbox.replaceChildren(el('p', { class: 'muted', text: 'No drift alert among the newest decisions.' })); return; }
    const series = pipelines.map((p, i) => ({
      name: p, color: SERIES_COLORS[i % SERIES_COLORS.length],
      points: drift.filter((d) => d.pipeline === p).map((d) => {
        const m = d.request.metadata;
        return { t: new Date(d.request.requestedAt || d.decidedAt).getTime(), v: m.driftScore, color: SEVERITY_COLORS[m.severity],
          label: p + ' ' + utc(d.request.requestedAt || d.decidedAt) + ': ' + m.driftScore + ' ' + (m.severity || '') + ' on ' + (m.driftedFeatures || []).join(', ') + ' → ' + d.outcome };
      })
    }));
    dbox.replaceChildren(timeLines(series, 'drift scores over time', 0.5),
      legend(series.map((s) => [s.name, s.color]).concat(Object.entries(SEVERITY_COLORS).map(([k, v]) => ['point: ' + k, v]))));
  }

  // ---- backtest ------------------------------------------------------------------------------
  function parseKeyValues(text) {
    const out = {};
    for (const raw of text.split('\n')) {
      const lineText = raw.trim();
      if (!lineText || lineText.startsWith('#')) continue;
      const i = lineText.indexOf('=');
      if (i <= 0) throw new Error('not key=value: ' + lineText);
      out[lineText.slice(0, i).trim()] = lineText.slice(i + 1).trim();
    }
    return out;
  }

  async function runBacktest(ev) {
    ev.preventDefault();
    const error = $('bt-error'), result = $('bt-result'), button = $('bt-run');
    error.hidden = true;
    let body;
    try {
      body = { from: $('bt-from').value.trim(), to: $('bt-to').value.trim(), candidate: parseKeyValues($('bt-candidate').value) };
    } catch (e) {
      error.textContent = e.message; error.hidden = false; return;
    }
    if ($('bt-sweep').value.trim()) body.sweep = $('bt-sweep').value.trim();
    if ($('bt-approve-after').value.trim()) body.approveAfter = $('bt-approve-after').value.trim();
    button.disabled = true;
    button.textContent = 'Running…';
    try {
      const r = await api('/api/backtest', { method: 'POST', body });
      showBacktest(r);
    } catch (e) {
      error.textContent = e.message; error.hidden = false;
      result.replaceChildren();
      if (e.status === 401) logout('Your login is no longer accepted: log in again.');
    } finally {
      button.disabled = false;
      button.textContent = 'Run backtest';
    }
  }

  function showBacktest(r) {
    const reports = r.reports || [];
    const summary = el('table', { class: 'list', id: 'bt-summary' },
      el('tr', {}, ['report', 'events', 'trainings', 'estimated cost', 'deferred', 'rejected', 'time to adapt p50 / p95', 'largest storm'].map((h) => el('th', { text: h }))),
      reports.map((x) => el('tr', {},
        el('td', { text: (x.name || '') + (x.pareto ? ' *' : '') }), el('td', { text: num(x.events) }), el('td', { text: num(x.totalTrainings) }),
        el('td', { text: num(x.estimatedCost) }), el('td', { text: JSON.stringify(x.deferredByReason || {}) }), el('td', { text: JSON.stringify(x.rejectedByReason || {}) }),
        el('td', { text: x.timeToAdapt ? x.timeToAdapt.p50 + ' / ' + x.timeToAdapt.p95 + ' (' + x.timeToAdapt.count + ')' : '–' }),
        el('td', { text: x.largestStorm ? JSON.stringify(x.largestStorm) : '–' }))));
    const days = Array.from(new Set(reports.flatMap((x) => (x.daily || []).map((d) => d.day)))).sort();
    const parts = [el('p', { class: 'muted', text: 'Replayed ' + utc(r.from) + ' to ' + utc(r.to) }), summary];
    if (days.length) {
      const colors = reports.map((_, i) => SERIES_COLORS[i % SERIES_COLORS.length]);
      const value = (x, day, field) => { const d = (x.daily || []).find((e) => e.day === day); return d ? d[field] : 0; };
      parts.push(el('h3', { text: 'Trainings per day' }), groupedBars(days, reports.map((x, i) => ({ name: x.name, color: colors[i], values: days.map((d) => value(x, d, 'trainings')) }))),
        el('h3', { text: 'Estimated cost per day' }), timeLines(reports.map((x, i) => ({ name: x.name, color: colors[i],
          points: days.map((d) => ({ t: new Date(d + 'T00:00:00Z').getTime(), v: value(x, d, 'cost'), label: x.name + ' ' + d + ': ' + value(x, d, 'cost') })) })), 'estimated cost per day', 0, true),
        legend(reports.map((x, i) => [x.name, colors[i]])));
    } else {
      parts.push(el('p', { class: 'muted', text: 'No training in the range: nothing to chart.' }));
    }
    $('bt-result').replaceChildren(...parts);
  }

  /** Bars side by side: one group per label, one bar per series. */
  function groupedBars(labels, series) {
    const innerW = CHART.w - CHART.left - CHART.right, innerH = CHART.h - CHART.top - CHART.bottom;
    const yMax = countMax(Math.max(...series.flatMap((s) => s.values)));
    const g = svg('svg', { class: 'chart-svg', viewBox: '0 0 ' + CHART.w + ' ' + CHART.h, role: 'img', id: 'bt-chart' }, svg('title', {}, 'trainings per day'));
    const step = innerW / Math.max(1, labels.length);
    const barW = Math.max(2, Math.min(24, step * 0.8 / Math.max(1, series.length)));
    axes(g, yMax, 4, labels.map((l, i) => ({ x: CHART.left + step * i + step / 2, text: labels.length > 14 && i % Math.ceil(labels.length / 14) ? '' : l })));
    labels.forEach((label, i) => {
      const x0 = CHART.left + step * i + (step - barW * series.length) / 2;
      series.forEach((s, j) => {
        const v = s.values[i] || 0;
        const h = innerH * v / yMax;
        g.append(svg('rect', { x: x0 + j * barW, y: CHART.top + innerH - h, width: barW - 1, height: h, fill: s.color, class: 'bar' }, svg('title', {}, s.name + ' ' + label + ': ' + v)));
      });
    });
    return g;
  }

  // ---- post an event -------------------------------------------------------------------------
  async function postEvent(ev) {
    ev.preventDefault();
    const out = $('ev-result');
    out.className = '';
    let data;
    try {
      data = JSON.parse($('ev-data').value);
    } catch (e) {
      out.className = 'error';
      out.textContent = 'data is not JSON: ' + e.message;
      return;
    }
    const id = 'console-' + Date.now() + '-' + Math.random().toString(36).slice(2, 8);
    const event = { specversion: '1.0', id, source: $('ev-source').value.trim() || '/console', type: $('ev-type').value,
      time: new Date().toISOString(), datacontenttype: 'application/json', data };
    try {
      const r = await api('/api/events', { method: 'POST', type: 'application/cloudevents+json', body: event });
      out.className = 'ok';
      out.textContent = 'accepted ' + r.id + ': ' + r.kind + ' for ' + r.pipeline + (r.duplicate ? ' (duplicate)' : '');
    } catch (e) {
      out.className = 'error';
      out.textContent = 'refused (' + e.status + '): ' + e.message;
      if (e.status === 401) logout('Your login is no longer accepted: log in again.');
    }
  }

  // ---- wiring --------------------------------------------------------------------------------
  document.addEventListener('DOMContentLoaded', async () => {
    $('login-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const button = $('login-submit');
      button.disabled = true;
      try {
        await login($('login-user').value, $('login-password').value);
      } catch (e) {
        showLoginError(e.status === 401 ? 'Wrong user or password.' : e.message);
      } finally {
        button.disabled = false;
      }
    });
    $('logout').addEventListener('click', () => logout(null));
    for (const b of document.querySelectorAll('#nav button')) {
      b.addEventListener('click', () => { location.hash = b.dataset.view; });
    }
    window.addEventListener('hashchange', () => { if (auth) show(viewFromHash()); });
    for (const id of ['filter-pipeline', 'filter-outcome', 'filter-trigger']) $(id).addEventListener('change', () => refresh());
    $('decision-filters').addEventListener('submit', (ev) => ev.preventDefault());
    $('backtest-form').addEventListener('submit', runBacktest);
    $('event-form').addEventListener('submit', postEvent);

    const kept = sessionStorage.getItem(AUTH_KEY);
    if (kept) {
      try {
        auth = JSON.parse(kept);
        me = await api('/api/me');
        enter();
        return;
      } catch (e) {
        logout(e.status === 401 ? 'Your login is no longer accepted: log in again.' : e.message);
        return;
      }
    }
    logout(null);
  });
})();
