// The console in a real browser: Debian's Chromium driven by playwright-core against a running app.
// Run by ConsoleIT (src/test/java/io/retraintrigger/it/ConsoleIT.java), which starts the packaged app;
// by hand: CONSOLE_URL=http://127.0.0.1:8080 CONSOLE_ADMIN_PASSWORD=… CONSOLE_VIEWER_USER=… … node tools/console/console-test.mjs
// Exits 0 when every step passed, 1 with the failed step on stderr. Screenshots of each step go to
// CONSOLE_SCREENSHOTS (default target/console-screenshots).
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined || v === '') throw new Error('set ' + name);
  return v;
};
const BASE = env('CONSOLE_URL').replace(/\/$/, '');
const ADMIN = env('CONSOLE_ADMIN_USER', 'admin');
const ADMIN_PASSWORD = env('CONSOLE_ADMIN_PASSWORD');
const VIEWER = env('CONSOLE_VIEWER_USER');
const VIEWER_PASSWORD = env('CONSOLE_VIEWER_PASSWORD');
const PIPELINE = env('CONSOLE_REVIEW_PIPELINE');
const BATCH_PIPELINE = env('CONSOLE_BATCH_PIPELINE');       // data-sources s3://console-test/batch/, batch.size 25
const BATCH_PREFIX = env('CONSOLE_BATCH_PREFIX');
const QUIET_PIPELINE = env('CONSOLE_QUIET_PIPELINE');       // expects data within a few seconds and gets none
const SHOTS = env('CONSOLE_SCREENSHOTS', 'target/console-screenshots');
const TIMEOUT = 20_000;

mkdirSync(SHOTS, { recursive: true });
const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
const problems = [];   // what the page must never do: console errors (CSP violations among them), outside requests, login prompts
let step = 'start';
let shot = 0;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1360, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});

async function watched(page) {
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // an API refusal (the 404 of an unknown pipeline, the 400 of a bad range, the 401 of a wrong password) is
    // logged by Chromium as a failed load; the page shows it, as it should. Anything else is a failure.
    if (m.text().startsWith('Failed to load resource') && (m.location().url || '').startsWith(BASE + '/api/')) return;
    problems.push(step + ': console error: ' + m.text() + ' (' + (m.location().url || '') + ')');
  });
  page.on('pageerror', (e) => problems.push(step + ': page error: ' + e.message));
  page.on('request', (r) => {
    if (!r.url().startsWith(BASE + '/') && !r.url().startsWith('data:')) problems.push(step + ': request outside the app: ' + r.url());
    if (r.url().includes('injected')) problems.push(step + ': markup from the API was loaded: ' + r.url());
  });
  // Chromium's native Basic-auth prompt: it asks for credentials (Fetch.authRequired) exactly when a headed
  // browser would pop its dialog up; here every such request is counted as a failure and cancelled.
  const cdp = await context.newCDPSession(page);
  cdp.on('Fetch.requestPaused', (e) => cdp.send('Fetch.continueRequest', { requestId: e.requestId }).catch(() => {}));
  cdp.on('Fetch.authRequired', (e) => {
    problems.push(step + ': the browser would prompt for credentials for ' + e.request.url);
    cdp.send('Fetch.continueWithAuth', { requestId: e.requestId, authChallengeResponse: { response: 'CancelAuth' } }).catch(() => {});
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  return page;
}

async function screenshot(page, name) {
  shot++;
  await page.screenshot({ path: join(SHOTS, String(shot).padStart(2, '0') + '-' + name + '.png'), fullPage: true });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function api(path, user, password, init = {}) {
  const res = await fetch(BASE + path, { ...init, headers: { Authorization: 'Basic ' + Buffer.from(user + ':' + password).toString('base64'), ...(init.headers || {}) } });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, headers: res.headers };
}

async function dataArrivals(from, count) {
  for (let i = from; i < from + count; i++) {
    const r = await api('/api/events', ADMIN, ADMIN_PASSWORD, {
      method: 'POST', headers: { 'Content-Type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'console-data-' + i + '-' + Date.now(), source: '/console-test', type: 'io.retraintrigger.data.arrived',
        data: { uri: BATCH_PREFIX + 'part-' + String(i).padStart(3, '0') + '.parquet', sizeBytes: 1000 } }),
    });
    check(r.status === 202, 'data arrival ' + i + ' was answered ' + r.status);
  }
}

async function login(page, user, password) {
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

async function open(page, viewName) {
  await page.click('#nav button[data-view="' + viewName + '"]');
  await page.waitForSelector('#view-' + viewName, { state: 'visible', timeout: TIMEOUT });
}

try {
  // ---- the page and its headers
  step = 'headers';
  const index = await fetch(BASE + '/');
  check(index.status === 200, 'GET / answered ' + index.status);
  const csp = index.headers.get('content-security-policy') || '';
  check(csp.includes("default-src 'self'") && !csp.includes('unsafe-inline'), 'GET / has no strict Content-Security-Policy: ' + csp);

  const page = await watched(await context.newPage());

  // ---- admin (every role): log in
  step = 'login as admin';
  await page.goto(BASE + '/');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: TIMEOUT });
  await screenshot(page, 'login');
  await login(page, ADMIN, ADMIN_PASSWORD);
  await page.waitForSelector('#who', { state: 'visible', timeout: TIMEOUT });
  check((await page.textContent('#who-user')) === ADMIN, 'the page does not show the user');
  check((await page.textContent('#who-roles')).includes('approver'), 'the page does not show the roles');

  step = 'pipelines at a glance';
  await page.waitForSelector('#pipelines article[data-pipeline="' + PIPELINE + '"]', { timeout: TIMEOUT });
  const card = await page.textContent('#pipelines article[data-pipeline="' + PIPELINE + '"]');
  for (const word of ['last training', 'cooldown', 'trainings today', 'spend today', 'open batch', 'pending approvals']) {
    check(card.includes(word), 'the pipeline card lacks "' + word + '": ' + card);
  }
  // the open batch's fill, and the finding of the pipeline that hears nothing, appear as they happen
  await dataArrivals(1, 3);
  const batchCard = '#pipelines article[data-pipeline="' + BATCH_PIPELINE + '"]';
  await page.waitForFunction((sel) => (document.querySelector(sel) || {}).textContent?.includes('3 / 25 events, 3.0 kB'), batchCard, { timeout: TIMEOUT });
  const quietCard = '#pipelines article[data-pipeline="' + QUIET_PIPELINE + '"]';
  await page.waitForSelector(quietCard + ' .alert.finding', { timeout: TIMEOUT });
  check((await page.textContent(quietCard + ' .alert.finding')).includes('data_missing'), 'the finding line does not say what is missing');
  await screenshot(page, 'pipelines');
  // the login is kept for the tab (sessionStorage): a reload stays logged in
  await page.reload();
  await page.waitForSelector('#who', { state: 'visible', timeout: TIMEOUT });
  check(await page.evaluate(() => Object.keys(localStorage).length === 0), 'the console wrote to localStorage');

  // ---- post a critical drift alert through the page: a review (TRAINING_REVIEW) is opened
  step = 'post an event';
  await open(page, 'post-event');
  await page.selectOption('#ev-type', 'io.retraintrigger.drift.detected');
  await page.fill('#ev-data', JSON.stringify({ pipeline: PIPELINE, features: [{ name: 'amount', score: 0.77 }] }));
  await page.click('#ev-send');
  await page.waitForFunction(() => document.getElementById('ev-result').textContent.startsWith('accepted'), null, { timeout: TIMEOUT });
  check((await page.textContent('#ev-result')).includes('DRIFT_ALERT for ' + PIPELINE), 'unexpected answer: ' + await page.textContent('#ev-result'));
  await screenshot(page, 'event-posted');

  // an event the service refuses (unknown pipeline): the page shows why, and it becomes a dead letter
  step = 'post a refused event';
  // (its name is markup: it must come back as text, in the answer and in the dead letters)
  await page.fill('#ev-data', JSON.stringify({ pipeline: 'no-such-pipeline<img src="/injected.png">', features: [{ name: 'amount', score: 0.2 }] }));
  await page.click('#ev-send');
  await page.waitForFunction(() => document.getElementById('ev-result').textContent.startsWith('refused'), null, { timeout: TIMEOUT });
  check((await page.textContent('#ev-result')).includes('404'), 'unexpected refusal: ' + await page.textContent('#ev-result'));

  step = 'the decision in the timeline';
  await open(page, 'decisions');
  await page.selectOption('#filter-pipeline', PIPELINE);
  const reviewRow = '#decisions tr.decision[data-pipeline="' + PIPELINE + '"][data-outcome="AWAITING_APPROVAL"]';
  await page.waitForSelector(reviewRow, { timeout: TIMEOUT });
  check((await page.textContent(reviewRow)).includes('critical_drift'), 'the review decision shows no reason');
  await page.click(reviewRow);
  await page.waitForSelector('#decision-detail:not([hidden])', { timeout: TIMEOUT });
  await page.waitForFunction(() => document.getElementById('decision-detail').textContent.includes('driftScore'), null, { timeout: TIMEOUT });
  const detail = await page.textContent('#decision-detail');
  check(detail.includes('0.77') && detail.includes('CRITICAL') && detail.includes('Data (0 objects)'), 'the detail lacks the request or the data: ' + detail);

  // a batch's decision and its data list, paged
  step = 'decision data';
  await dataArrivals(4, 22);
  await page.selectOption('#filter-pipeline', BATCH_PIPELINE);
  const batchRow = '#decisions tr.decision[data-pipeline="' + BATCH_PIPELINE + '"][data-outcome="LAUNCHED"]';
  await page.waitForSelector(batchRow, { timeout: TIMEOUT });
  await page.click(batchRow);
  await page.waitForFunction(() => document.getElementById('decision-detail').textContent.includes('Data (25 objects)'), null, { timeout: TIMEOUT });
  check(await page.$$eval('#decision-detail ol.uris li', (l) => l.length) === 20, 'the first data page does not hold 20 objects');
  await page.click('#data-next');
  await page.waitForFunction(() => document.querySelectorAll('#decision-detail ol.uris li').length === 5, null, { timeout: TIMEOUT });
  check((await page.textContent('#decision-detail ol.uris')).includes(BATCH_PREFIX + 'part-025.parquet'), 'the second data page lacks the last object');
  await screenshot(page, 'decision-data');
  await page.click('#decision-detail button.close');

  step = 'findings in the timeline';
  await page.selectOption('#filter-pipeline', QUIET_PIPELINE);
  await page.waitForSelector('#decisions tr.decision.finding[data-outcome="MISSED_SIGNAL"]', { timeout: TIMEOUT });
  check((await page.textContent('#decisions tr.decision.finding')).includes('⚠ MISSED_SIGNAL'), 'the finding is not marked');
  await page.selectOption('#filter-pipeline', PIPELINE);
  await page.waitForSelector(reviewRow, { timeout: TIMEOUT });

  // a decision made while the timeline is open appears without a reload (auto refresh)
  step = 'auto refresh';
  const low = await api('/api/events', ADMIN, ADMIN_PASSWORD, {
    method: 'POST', headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: 'console-low-' + Date.now(), source: '/console-test', type: 'io.retraintrigger.drift.detected',
      data: { pipeline: PIPELINE, features: [{ name: 'amount', score: 0.05 }] } }),
  });
  check(low.status === 202, 'the low drift alert was answered ' + low.status);
  await page.waitForSelector('#decisions tr.decision[data-pipeline="' + PIPELINE + '"][data-outcome="LOGGED"]', { timeout: TIMEOUT });
  await page.selectOption('#filter-trigger', 'SCHEDULED');
  await page.waitForSelector('#decisions tr.empty', { timeout: TIMEOUT });
  await page.selectOption('#filter-trigger', 'DRIFT');
  await page.waitForSelector(reviewRow, { timeout: TIMEOUT });
  await screenshot(page, 'decisions');

  // ---- approve the review in the approval queue
  step = 'approve the review';
  await open(page, 'approvals');
  const reviewCard = '#approvals article.approval[data-pipeline="' + PIPELINE + '"][data-type="TRAINING_REVIEW"]';
  await page.waitForSelector(reviewCard, { timeout: TIMEOUT });
  const approvalId = await page.getAttribute(reviewCard, 'data-approval-id');
  await page.fill(reviewCard + ' input.comment', 'looks real <b>ok</b>');
  await screenshot(page, 'approval-queue');
  await page.click(reviewCard + ' button.approve');
  await page.waitForFunction((id) => {
    const c = document.querySelector('article.approval[data-approval-id="' + id + '"] .result');
    return c && c.textContent.startsWith('APPROVED');
  }, approvalId, { timeout: TIMEOUT }).catch(() => {});
  await page.waitForSelector('#approvals-resolved tr[data-approval-id="' + approvalId + '"][data-status="APPROVED"]', { timeout: TIMEOUT });
  await page.waitForSelector('#approvals article.approval[data-approval-id="' + approvalId + '"]', { state: 'detached', timeout: TIMEOUT });
  const resolved = await page.textContent('#approvals-resolved tr[data-approval-id="' + approvalId + '"]');
  check(resolved.includes('looks real <b>ok</b>') && resolved.includes(ADMIN), 'the resolved approval shows no comment (as text) or approver: ' + resolved);
  check(await page.$('#approvals-resolved b') === null, 'a comment was rendered as markup');
  await screenshot(page, 'approved');

  step = 'the decision after approval';
  await open(page, 'decisions');
  await page.selectOption('#filter-trigger', '');
  const launchedRow = '#decisions tr.decision[data-pipeline="' + PIPELINE + '"][data-outcome="LAUNCHED"]';
  await page.waitForSelector(launchedRow, { timeout: TIMEOUT });
  check((await page.textContent(launchedRow)).includes('allowed'), 'the launched decision shows no reason');
  await page.click(launchedRow);
  await page.waitForFunction((id) => document.getElementById('decision-detail').textContent.includes('review_approved: ' + id), approvalId, { timeout: TIMEOUT });
  check((await page.textContent('#decision-detail')).includes('SUBMITTED'), 'the launch status is not shown');
  await screenshot(page, 'decision-launched');

  // ---- route stats, dead letters, charts
  step = 'routes';
  await open(page, 'routes');
  await page.waitForSelector('#routes tr.route[data-id="intake"]', { timeout: TIMEOUT });
  check((await page.textContent('#routes tr.route[data-id="intake"]')).includes('Started'), 'the intake route is not shown started');
  check(await page.$('#routes tr.route[data-id="intake"] button.route-stop') !== null, 'an operator sees no stop button');
  await screenshot(page, 'routes');

  step = 'dead letters';
  await open(page, 'dead-letters');
  await page.waitForSelector('#dead-letters tr.dead-letter', { timeout: TIMEOUT });
  check((await page.textContent('#dead-letters')).includes('no-such-pipeline<img src="/injected.png">'), 'the refused event is not among the dead letters, as text');
  check(await page.$('#dead-letters img') === null && await page.$('#ev-result img') === null, 'a value from the API was rendered as markup');
  await screenshot(page, 'dead-letters');

  step = 'charts';
  await open(page, 'charts');
  await page.waitForSelector('#chart-outcomes rect.bar', { timeout: TIMEOUT });
  await page.waitForSelector('#chart-drift circle.point', { timeout: TIMEOUT });
  check(await page.isVisible('#backtest-form'), 'an operator sees no backtest form');
  // a range the API refuses: its error is shown in the form
  await page.fill('#bt-from', '2026-12-05T00:00:00Z');
  await page.fill('#bt-to', '2026-12-01T00:00:00Z');
  await page.click('#bt-run');
  await page.waitForSelector('#bt-error:not([hidden])', { timeout: TIMEOUT });
  check((await page.textContent('#bt-error')).length > 0, 'the backtest error is empty');
  // a range around now (this run's events are kept): the report's trainings per day are charted
  const dayMs = 24 * 3600 * 1000;
  await page.fill('#bt-from', new Date(Date.now() - dayMs).toISOString());
  await page.fill('#bt-to', new Date(Date.now() + dayMs).toISOString());
  await page.fill('#bt-candidate', 'retrain.coordinator.min-interval=1h');
  await page.click('#bt-run');
  await page.waitForSelector('#bt-summary', { timeout: TIMEOUT });
  check(await page.isHidden('#bt-error'), 'a backtest of a valid range was refused: ' + await page.textContent('#bt-error'));
  check((await page.$$('#bt-summary tr')).length === 3, 'the backtest shows a report for the candidate and one for the running configuration');
  await page.waitForSelector('#bt-chart rect.bar', { timeout: TIMEOUT });
  await screenshot(page, 'charts');

  step = 'log out';
  await page.click('#logout');
  await page.waitForSelector('#login-form', { state: 'visible', timeout: TIMEOUT });

  // ---- a viewer: sees, may do nothing
  step = 'viewer';
  await login(page, VIEWER, VIEWER_PASSWORD);
  await page.waitForSelector('#who', { state: 'visible', timeout: TIMEOUT });
  check(!(await page.isVisible('#nav button[data-view="post-event"]')), 'a viewer sees the post-event form');
  await open(page, 'overview');
  await page.waitForSelector('#pipelines article[data-pipeline="' + PIPELINE + '"]', { timeout: TIMEOUT });
  // a pending approval (a second review), which the viewer must not be able to resolve
  await api('/api/events', ADMIN, ADMIN_PASSWORD, {
    method: 'POST', headers: { 'Content-Type': 'application/cloudevents+json' },
    body: JSON.stringify({ specversion: '1.0', id: 'console-second-' + Date.now(), source: '/console-test', type: 'io.retraintrigger.drift.detected',
      data: { pipeline: PIPELINE, features: [{ name: 'amount', score: 0.9 }] } }),
  });
  await open(page, 'approvals');
  await page.waitForSelector('#approvals article.approval', { timeout: TIMEOUT });
  check(await page.$('#approvals button.approve') === null && await page.$('#approvals button.reject') === null, 'a viewer sees approve or reject');
  await screenshot(page, 'viewer-approvals');
  await open(page, 'routes');
  await page.waitForSelector('#routes tr.route[data-id="intake"]', { timeout: TIMEOUT });
  check(await page.$('#routes button') === null, 'a viewer sees route controls');
  await open(page, 'charts');
  check(!(await page.isVisible('#backtest-form')), 'a viewer sees the backtest form');
  await page.click('#logout');

  // ---- a wrong password: an error in the page, no prompt
  step = 'wrong password';
  await page.waitForSelector('#login-form', { state: 'visible', timeout: TIMEOUT });
  await login(page, VIEWER, VIEWER_PASSWORD + '-wrong');
  await page.waitForSelector('#login-error:not([hidden])', { timeout: TIMEOUT });
  check((await page.textContent('#login-error')).includes('Wrong user or password'), 'unexpected login error: ' + await page.textContent('#login-error'));
  check(!(await page.isVisible('#nav')), 'a wrong password let the page in');
  await screenshot(page, 'wrong-password');

  // wrong credentials make the API answer 401 with a Basic challenge; the page's 401s are counted above
  step = 'done';
  check(problems.length === 0, 'the page misbehaved:\n  ' + problems.join('\n  '));
  console.log('console-test: ' + shot + ' steps passed, screenshots in ' + SHOTS);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  process.exit(0);
} catch (e) {
  console.error('console-test failed at step "' + step + '": ' + e.message);
  if (problems.length) console.error('and the page misbehaved:\n  ' + problems.join('\n  '));
  try {
    for (const p of context.pages()) await p.screenshot({ path: join(SHOTS, 'failed-' + step.replace(/\W+/g, '-') + '.png'), fullPage: true });
  } catch (ignored) { /* the browser is gone */ }
  await context.close().catch(() => {});
  rmSync(profile, { recursive: true, force: true });
  process.exit(1);
}
