// End-to-end test of the policy console in a real headless Chromium (Debian's /usr/bin/chromium driven by
// playwright-core). Starts the packaged service itself (target/quarkus-app/quarkus-run.jar) on a free port with a
// temporary data directory and a temporary copy of ranking-config, sends traffic, then walks the acceptance
// scenario as a product owner would: change "at most 2 items per brand in the top 10" to 3 on the search surface,
// see an error reported, fix it, preview it on a real logged request, dry-run it on traffic, publish it, see
// /v1/rank serve the new version, and undo it. Screenshots of every step go to target/e2e-screenshots/.
//
// Run: node e2e/console.spec.mjs   (after mvn package)
// Env: CHROMIUM (default /usr/bin/chromium), RANKER_JAR, E2E_BASE_URL (use a running service instead of
//      starting one; it must have RANKING_ADMIN_TOKEN=E2E_ADMIN_TOKEN), E2E_STARTUP_SECONDS (default 420),
//      E2E_REQUIRE_REPLAY=1 (fail instead of skip the dry-run step when the build has no /v1/replay).
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'target', 'e2e-screenshots');
const JAR = process.env.RANKER_JAR || path.join(ROOT, 'target', 'quarkus-app', 'quarkus-run.jar');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TOKEN = process.env.E2E_ADMIN_TOKEN || 'e2e-admin-token';
const STARTUP_SECONDS = Number(process.env.E2E_STARTUP_SECONDS || 420);
const SURFACE = 'search';
const BRAND_QUERIES = ["Chef's Choice", 'saucepan', 'Voltix watch', 'Funhaus blocks', 'chronograph', 'induction pan',
  'building blocks', 'stainless steel', 'solar watch', 'STEM toy'];

let passed = 0, failed = 0, skipped = 0, shotNo = 0;
class Skip extends Error {}
const results = [];
const log = (...a) => console.log(...a);
function assert(cond, message) { if (!cond) throw new Error(message); }

fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));

// ---------- the service ----------
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startService() {
  if (process.env.E2E_BASE_URL) return { base: process.env.E2E_BASE_URL.replace(/\/$/, ''), stop: async () => {} };
  assert(fs.existsSync(JAR), `${JAR} is missing: run './mvnw -B package -DskipTests' first`);
  const port = await freePort();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ranker-e2e-'));
  const config = path.join(tmp, 'ranking-config');
  fs.cpSync(path.join(ROOT, 'ranking-config'), config, { recursive: true });
  const logFile = path.join(SHOTS, 'service.log');
  const out = fs.openSync(logFile, 'w');
  // run.sh selects the JDK 25 (JAVA_HOME) and the JVM flags (RANKER_JVM_FLAGS: Lucene's SIMD vector path)
  const java = process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const jvmFlags = (process.env.RANKER_JVM_FLAGS ?? '--add-modules jdk.incubator.vector').split(/\s+/).filter(Boolean);
  const child = spawn(java, [...jvmFlags, '-jar', JAR], {
    cwd: tmp,
    env: { ...process.env, QUARKUS_HTTP_PORT: String(port), RANKING_DATA_DIR: path.join(tmp, 'data'),
      RANKING_CONFIG_DIR: config, RANKING_ADMIN_TOKEN: TOKEN, RANKING_LOG_CANDIDATE_SAMPLE_RATE: '1' },
    stdio: ['ignore', out, out],
  });
  let exited = null;
  child.on('exit', (code) => { exited = code; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_SECONDS * 1000;
  log(`starting ${JAR} on port ${port} (data and config in ${tmp}, log in ${logFile})`);
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the service exited with ${exited} during startup; see ${logFile}`);
    try {
      const r = await fetch(`${base}/v1/policies`);
      if (r.ok && (await r.json()).length) break;
    } catch { /* not listening yet */ }
    await sleep(1000);
  }
  assert(Date.now() < deadline, `the service did not start within ${STARTUP_SECONDS}s; see ${logFile}`);
  log(`service up after ${Math.round((STARTUP_SECONDS * 1000 - (deadline - Date.now())) / 1000)}s`);
  return {
    base,
    stop: async () => {
      if (exited === null) {
        child.kill('SIGTERM');
        for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
        if (exited === null) child.kill('SIGKILL');
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function json(base, method, url, body, headers = {}) {
  const r = await fetch(base + url, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: body && JSON.stringify(body) });
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { data = text; }
  return { status: r.status, data };
}

/** Logged traffic for previews and the dry run: feed and brand-heavy searches, with clicks on some items. */
async function sendTraffic(base) {
  let sent = 0, clicks = 0;
  for (let i = 0; i < 80; i++) {
    const search = i % 4 !== 3;
    const req = search ? { surface: 'search', userId: `u${i % 40}`, query: BRAND_QUERIES[i % BRAND_QUERIES.length], limit: 10 }
      : { surface: 'feed', userId: `u${i % 40}`, limit: 10 };
    const r = await json(base, 'POST', '/v1/rank', req);
    assert(r.status === 200, `/v1/rank answered ${r.status}: ${JSON.stringify(r.data)}`);
    sent++;
    for (const it of r.data.items.slice(0, 6)) {
      // a position-biased click pattern, deterministic per request
      if ((i * 7 + it.position * 3) % (it.position + 2) === 0) {
        const f = await json(base, 'POST', '/v1/feedback', { impressionId: r.data.impressionId, itemId: it.id, type: 'click' },
          { Authorization: `Bearer ${TOKEN}` }); // feedback is a write: it needs a key once one is configured
        assert(f.status === 202, `/v1/feedback answered ${f.status}: ${JSON.stringify(f.data)}`);
        clicks++;
      }
    }
  }
  return { sent, clicks };
}

async function servedPolicyVersion(base) {
  const r = await json(base, 'POST', '/v1/rank', { surface: SURFACE, userId: 'u1', query: 'saucepan', limit: 10 });
  assert(r.status === 200, `/v1/rank answered ${r.status}`);
  return r.data.policyVersion;
}

// ---------- the browser ----------
async function shot(page, name) {
  const file = path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
async function shotOf(page, selector, name) {
  const target = page.locator(selector);
  await target.scrollIntoViewIfNeeded();
  const file = path.join(SHOTS, `${String(++shotNo).padStart(2, '0')}-${name}.png`);
  // The sticky step bar would be painted over the section when the element is captured in parts.
  await page.evaluate(() => { document.querySelector('nav.steps').style.position = 'static'; });
  try {
    await target.screenshot({ path: file });
  } finally {
    await page.evaluate(() => { document.querySelector('nav.steps').style.position = ''; });
  }
  return file;
}

async function step(name, page, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    results.push(`ok    ${name} (${Date.now() - t0} ms)`);
    log(`ok    ${name}`);
  } catch (e) {
    if (e instanceof Skip) {
      skipped++;
      results.push(`SKIP  ${name}: ${e.message}`);
      log(`SKIP  ${name}: ${e.message}`);
      return;
    }
    failed++;
    results.push(`FAIL  ${name}: ${e.message}`);
    log(`FAIL  ${name}: ${e.stack || e}`);
    if (page) await shot(page, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => {});
  }
}

const capCard = (page) => page.locator('#rule-list > li.rule', { hasText: 'items per brand' });
const ruleCard = (page, id) => page.locator(`#rule-list > li.rule[data-rule-id="${id}"]`);
const FIXTURE = fs.readFileSync(path.join(ROOT, 'e2e', 'fixtures', 'combined-conditions.yaml'), 'utf8');
async function validated(base, yaml) {
  const r = await fetch(`${base}/v1/policies/validate`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: yaml });
  const text = await r.text();
  assert(r.status === 200, `validate answered ${r.status}: ${text}`);
  return JSON.parse(text).version;
}
async function unlabeledControls(page) {
  return page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
    .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
    .map((e) => e.id || e.outerHTML.slice(0, 60)));
}
const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

async function main() {
  const service = await startService();
  const base = service.base;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'ranker-e2e-chromium-'));
  let context = null;
  const pageErrors = [];
  try {
    const traffic = await sendTraffic(base);
    log(`traffic: ${traffic.sent} ranked lists, ${traffic.clicks} clicks`);
    const liveBefore = await servedPolicyVersion(base);

    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1366, height: 860 },
    });
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error' && !/status of (401|404|422)/.test(m.text())) pageErrors.push(m.text()); });

    await step('console loads at /console and lists the surfaces with their live rules', page, async () => {
      const res = await page.goto(`${base}/console`);
      assert(res.ok(), `GET /console answered ${res.status()}`);
      assert(page.url().endsWith('/console/'), `expected a redirect to /console/, at ${page.url()}`);
      await page.waitForSelector('body[data-ready=true]');
      const cards = page.locator('#surface-list .card');
      assert(await cards.count() === 2, `expected 2 surfaces, got ${await cards.count()}`);
      const search = cards.filter({ hasText: 'search' });
      const meta = await search.locator('.meta').first().textContent();
      assert(meta.includes(liveBefore), `the search card should show live version ${liveBefore}: ${meta}`);
      await search.locator('summary').click();
      await page.waitForSelector('#surface-list .card:has-text("At most 2 items per brand in the top 10.")');
      assert(await page.locator('#account-state').textContent().then((t) => t.includes('Read-only')), 'should start read-only');
      await shot(page, 'surfaces');
    });

    await step('every form control has a label (keyboard and screen reader use)', page, async () => {
      const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
        .filter((e) => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
        .map((e) => e.id || e.outerHTML.slice(0, 60)));
      assert(unlabeled.length === 0, `controls without a label: ${unlabeled.join(', ')}`);
    });

    await step('choose the search rules with the keyboard', page, async () => {
      const btn = page.getByRole('button', { name: 'Edit search rules' });
      await btn.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('edit-surface').textContent === 'search');
      await page.waitForSelector('#validity.valid');
      await capCard(page).waitFor();
      // attribute inputs offer the catalog's attribute names as the user types
      const offered = await page.evaluate(() => [...document.querySelectorAll('#known-attributes option')].map((o) => o.value));
      assert(offered.includes('brand') && offered.includes('category'), `attribute suggestions: ${offered.join(', ')}`);
      assert(await page.locator('input[list="known-attributes"]').count() > 0, 'attribute inputs use the suggestions');
      const summary = await capCard(page).locator('.summary').textContent();
      assert(summary.includes('At most 2 items per brand in the top 10'), `cap rule reads: ${summary}`);
    });

    await step('a mistake is reported at the rule and at the line, and publishing is blocked', page, async () => {
      const max = capCard(page).getByLabel('At most');
      await max.fill('-3');
      await page.waitForSelector('#validity.invalid');
      const text = await page.locator('#validity').textContent();
      assert(/problem/.test(text) && /max/.test(text), `validity should name the problem: ${text}`);
      assert(/line \d+/i.test(text), `validity should give the line: ${text}`);
      await page.waitForSelector('#rule-list > li.rule.has-error');
      const ruleErr = await capCard(page).locator('.rule-errors').textContent();
      assert(/max/.test(ruleErr), `the cap rule should show its error: ${ruleErr}`);
      assert(await page.locator('#publish-btn').isDisabled(), 'publish must be disabled with an invalid draft');
      await capCard(page).scrollIntoViewIfNeeded();
      await shot(page, 'error-at-rule');
      await page.getByRole('tab', { name: 'YAML text' }).click();
      await page.waitForSelector('#yaml-gutter span.err');
      await page.locator('#validity ul.errors button').first().click();
      await shotOf(page, '#edit', 'error-at-line');
    });

    await step('the draft survives a reload while it is invalid', page, async () => {
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForFunction(() => document.getElementById('edit-surface').textContent === 'search');
      assert(await page.locator('#draft-note').isVisible(), 'the restored-draft note should be visible');
      assert((await page.locator('#yaml').inputValue()).includes('max: -3'), 'the invalid draft should be restored');
      await page.waitForSelector('#validity.invalid');
    });

    await step('fixing the mistake (2 -> 3) validates as you type', page, async () => {
      await page.getByRole('tab', { name: 'Forms' }).click();
      const max = capCard(page).getByLabel('At most');
      await max.fill('3');
      await page.waitForSelector('#validity.valid');
      const summary = await capCard(page).locator('.summary').textContent();
      assert(summary.includes('At most 3 items per brand in the top 10'), `cap rule reads: ${summary}`);
      assert(/max: 3/.test(await page.locator('#yaml').inputValue()), 'the YAML view follows the form');
      await capCard(page).scrollIntoViewIfNeeded();
      await shot(page, 'fixed-valid');
    });

    await step('read-only without the key: publish and undo disabled, previews ask to sign in; a wrong key is refused; sign in', page, async () => {
      await page.locator('#publish').scrollIntoViewIfNeeded();
      assert(await page.locator('#publish-btn').isDisabled(), 'publish is disabled while signed out');
      assert(/Sign in/.test(await page.locator('#publish-why').textContent()), 'the reason says to sign in');
      assert(await page.locator('#undo-last').isDisabled(), 'undo is disabled while signed out');
      await page.waitForFunction(() => /Sign in/.test(document.getElementById('recent-requests').textContent));
      await page.getByRole('button', { name: 'Sign in' }).first().click();
      await page.getByLabel('Your name').fill('Pat (product)');
      // a wrong token is refused at sign-in, the form stays open with the name kept
      await page.getByLabel('Admin token').fill('not-the-token');
      await page.getByLabel('Admin token').press('Enter');
      await page.waitForSelector('#sign-in-status .msg.error');
      assert(/not accepted/.test(await page.locator('#sign-in-status').textContent()), 'a wrong token is reported at sign-in');
      assert(await page.locator('#sign-out').isHidden(), 'still signed out after a wrong token');
      assert((await page.getByLabel('Your name').inputValue()) === 'Pat (product)', 'the name is kept');
      await page.getByLabel('Admin token').fill(TOKEN);
      await page.getByLabel('Admin token').press('Enter');
      await page.waitForSelector('#sign-out:not([hidden])');
    });

    await step('preview: a recent logged request, before and after side by side with rule traces and movement', page, async () => {
      await page.locator('#preview').scrollIntoViewIfNeeded();
      await page.waitForFunction(() => document.querySelectorAll('#recent-requests option[value]:not([value=""])').length > 0);
      await page.getByRole('button', { name: 'Find a request my change affects' }).click();
      await page.waitForFunction(() => /positions change|None of/.test(document.getElementById('preview-status').textContent), null, { timeout: 90_000 });
      const status = await page.locator('#preview-status').textContent();
      assert(/positions change/.test(status), `expected a logged request the change affects: ${status}`);
      const after = page.locator('#preview-result .side').nth(1);
      assert(await after.locator('li.item').count() === 10, 'the draft side should list 10 items');
      const moves = await after.locator('.move.up, .move.down, .move.new').count();
      assert(moves > 0, 'some items should move');
      const chips = await page.locator('#preview-result .chip').allTextContents();
      assert(chips.some((c) => c.startsWith('brand-variety')), `rule traces should mention the cap: ${chips.slice(0, 5)}`);
      const brands = await after.locator('li.item .meta').allTextContents();
      const counts = {};
      for (const m of brands) { const b = /brand ([^·]+)/.exec(m)?.[1].trim(); if (b) counts[b] = (counts[b] || 0) + 1; }
      assert(Math.max(...Object.values(counts)) === 3, `with the draft, a brand should fill 3 places: ${JSON.stringify(counts)}`);
      await shotOf(page, '#preview', 'preview');
    });

    await step('dry run on logged traffic: progress, lists changed, exposure shift, click estimate or warning', page, async () => {
      await page.locator('#dryrun').scrollIntoViewIfNeeded();
      const probe = await json(base, 'GET', '/v1/replay/none', undefined, { Authorization: `Bearer ${TOKEN}` });
      if (probe.status === 404 && !(probe.data && /job/i.test(JSON.stringify(probe.data)))) {
        // No replay service in this build: the console must say so plainly.
        await page.getByRole('button', { name: 'Start the dry run' }).click();
        await page.waitForSelector('#dry-status .msg.error');
        const t = await page.locator('#dry-status').textContent();
        assert(/not available/.test(t), `expected a plain 'not available' message: ${t}`);
        await shotOf(page, '#dryrun', 'dry-run-unavailable');
        if (process.env.E2E_REQUIRE_REPLAY === '1') throw new Error('this build has no /v1/replay job API (E2E_REQUIRE_REPLAY=1)');
        throw new Skip('this build has no /v1/replay job API, so the dry run could not be exercised');
      }
      await page.getByRole('button', { name: 'Start the dry run' }).click();
      await page.waitForSelector('#dry-progress:not([hidden])');
      await page.waitForFunction(() => /finished|failed|could not/i.test(document.getElementById('dry-status').textContent), null, { timeout: 180_000 });
      const t = await page.locator('#dry-status').textContent();
      assert(/finished/.test(t), `dry run: ${t}`);
      const text = await page.locator('#dry-result').textContent();
      assert(/would look different/.test(text), 'share of lists changed is shown');
      assert(/by brand/.test(text) && /by category/.test(text), 'exposure shift by brand and category is shown');
      assert(/click rate/.test(text) || /not enough data/i.test(text), 'a click estimate or a support warning is shown');
      assert(!/estimated change/.test(text) || /95% sure the change is between/.test(text), `the change comes with its own interval: ${text}`);
      await shotOf(page, '#dryrun', 'dry-run');
      // the chart: an SVG of today's and the draft's click rate with their intervals (and the change), every point
      // inside its interval and the printed figures matching the numbers the chart carries
      const chart = page.locator('#dry-result figure.chart');
      await chart.waitFor();
      const rows = await page.$$eval('#dry-result svg.chart g.row', (gs) => gs.map((g) => ({
        label: g.dataset.label, value: Number(g.dataset.value), lo: Number(g.dataset.lo), hi: Number(g.dataset.hi),
        cx: Number(g.querySelector('circle').getAttribute('cx')), bar: g.querySelector('line.ci') ? [Number(g.querySelector('line.ci').getAttribute('x1')), Number(g.querySelector('line.ci').getAttribute('x2'))] : null,
        ns: g.namespaceURI, text: g.textContent })));
      assert(rows.some((r) => r.label === 'With your draft') && rows.some((r) => r.label === 'Today'), `chart rows: ${JSON.stringify(rows)}`);
      for (const r of rows) {
        assert(r.ns === 'http://www.w3.org/2000/svg', 'the chart is real SVG (namespaced), not HTML tags named svg');
        assert(Number.isFinite(r.value) && r.lo <= r.value && r.value <= r.hi, `interval holds its estimate: ${JSON.stringify(r)}`);
        assert(r.bar && r.bar[0] <= r.cx && r.cx <= r.bar[1], `the dot is drawn inside its bar: ${JSON.stringify(r)}`);
      }
      const box = await page.locator('#dry-result svg.chart').first().boundingBox();
      assert(box && box.width > 200 && box.height > 40, `the chart is laid out: ${JSON.stringify(box)}`);
      await shotOf(page, '#dry-result figure.chart', 'dry-run-chart');
    });

    await step('publish with a comment; /v1/rank serves the new version', page, async () => {
      await page.locator('#publish').scrollIntoViewIfNeeded();
      assert(await page.locator('#publish-btn').isDisabled(), 'publish still needs a comment');
      await page.getByLabel('Why are you making this change?').fill('Allow 3 items per brand in the top 10 (e2e)');
      await page.waitForSelector('#publish-btn:not([disabled])');
      const changes = await page.locator('#changes-summary').textContent();
      assert(/brand-variety/.test(changes) && /At most 3/.test(changes), `changes summary: ${changes}`);
      await shotOf(page, '#publish', 'before-publish');
      await page.locator('#publish-btn').click();
      await page.waitForSelector('#publish-status .msg.ok', { timeout: 30_000 });
      const status = await page.locator('#publish-status').textContent();
      const version = /Version (\w{12})/.exec(status)?.[1];
      assert(version && version !== liveBefore, `a new version should be live: ${status}`);
      assert(await servedPolicyVersion(base) === version, '/v1/rank serves the published version');
      const v = await json(base, 'GET', `/v1/policies/${SURFACE}/versions`);
      const entry = v.data.history[v.data.history.length - 1];
      // the recorded author is the key's name (the admin token's is 'admin'); the name typed at sign-in is a stated one
      assert(entry.author === 'admin' && /3 items per brand/.test(entry.comment) && /stated author: Pat \(product\)/.test(entry.comment),
        `who and why are recorded: ${JSON.stringify(entry)}`);
      await shot(page, 'published');
    });

    await step('history: diff between the two versions in plain words', page, async () => {
      await page.locator('#history').scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: 'Compare' }).click();
      await page.waitForSelector('#diff-result ul.changes li');
      const d = await page.locator('#diff-result').textContent();
      assert(/brand-variety/.test(d) && /max changed from 2 to 3/.test(d), `diff: ${d}`);
      await page.locator('#diff-result summary').click();
      await shotOf(page, '#history', 'history-diff');
    });

    await step('undo: roll back, /v1/rank serves the earlier version again', page, async () => {
      await page.getByLabel('Why undo?').fill('Back to 2 per brand after the test');
      await page.getByRole('button', { name: 'Undo the last change' }).click();
      await page.waitForSelector('#history-status .msg.ok');
      assert(await servedPolicyVersion(base) === liveBefore, '/v1/rank serves the earlier version after undo');
      await page.waitForSelector('#surface-list .card:has-text("At most 2 items per brand in the top 10.")', { state: 'attached' });
      await capCard(page).waitFor();
      assert((await capCard(page).locator('.summary').textContent()).includes('At most 2'), 'the editor shows the restored rules');
      await shotOf(page, '#history', 'rolled-back');
    });

    // ---- combined conditions, backfill and active windows through the forms (no YAML typed) ----
    let brand = null;
    await step('combined condition: "any of these" with a nested "not", built through the forms with the keyboard', page, async () => {
      const top = await json(base, 'POST', '/v1/rank', { surface: SURFACE, userId: 'u1', query: 'saucepan', limit: 10 });
      const info = await json(base, 'GET', `/v1/items/${encodeURIComponent(top.data.items[0].id)}`);
      brand = info.data?.attributes?.brand;
      assert(typeof brand === 'string' && brand, `the top item of a search should have a brand: ${JSON.stringify(info.data)}`);
      await page.locator('#edit').scrollIntoViewIfNeeded();
      assert(await page.locator('#yaml').inputValue() === (await json(base, 'GET', `/v1/policies/${SURFACE}`)).data.source,
        'the draft starts from the live rules');
      const card = ruleCard(page, 'drop-out-of-stock');
      await card.getByRole('button', { name: 'Add another check to hide items where' }).focus();
      await page.keyboard.press('Enter');
      assert(await focusedId(page) === 'r0-when-n-all-1-on', `focus goes to the new check: ${await focusedId(page)}`);
      await card.getByLabel('Items match').selectOption('any');
      assert(await focusedId(page) === 'r0-when-n-kind', `focus stays on the group choice: ${await focusedId(page)}`);
      await page.keyboard.press('Tab'); // to the first check's "Check the" choice, in reading order
      assert(await focusedId(page) === 'r0-when-n-any-0-on', `tab order follows the checks: ${await focusedId(page)}`);
      await card.locator('#r0-when-n-any-1-name').fill('brand');
      await card.locator('#r0-when-n-any-1-op').selectOption('eq');
      await card.locator('#r0-when-n-any-1-v').fill(brand);
      await card.getByRole('button', { name: 'Turn check 2 into its opposite (not)' }).focus();
      await page.keyboard.press('Enter');
      assert(await focusedId(page) === 'r0-when-n-any-1-not-on', `focus goes into the "not": ${await focusedId(page)}`);
      await page.waitForSelector('#validity.valid');
      const summary = await card.locator('.summary').textContent();
      assert(summary === `Hide items where in_stock is false or not (brand is ${brand}).`, `the rule reads: ${summary}`);
      assert(await card.locator('fieldset.cond-group.any fieldset.cond-not .cond-leaf').count() === 1, 'the "not" sits inside the "any" group');
      const unlabeled = await unlabeledControls(page);
      assert(unlabeled.length === 0, `controls without a label: ${unlabeled.join(', ')}`);
      await card.scrollIntoViewIfNeeded();
      await shot(page, 'combined-condition-forms');
    });

    await step('the YAML view shows the nested condition; the draft survives a reload', page, async () => {
      await page.getByRole('tab', { name: 'YAML text' }).click();
      const y = await page.locator('#yaml').inputValue();
      const quoted = /^[A-Za-z_][\w .\/-]*$/.test(brand) ? brand : JSON.stringify(brand); // "Chef's Choice" is quoted
      const expected = ['    when:', '      any:', '        - {attribute: in_stock, eq: false}', `        - not: {attribute: brand, eq: ${quoted}}`];
      assert(y.includes(expected.join('\n')), `the YAML view shows the tree:\n${y}`);
      assert(y.includes('range: {max: 3.0}') && y.startsWith('# Business policy of the search surface'),
        'the other rules and the comments are kept as written');
      await shotOf(page, '#edit', 'combined-condition-yaml');
      await page.reload();
      await page.waitForSelector('body[data-ready=true]');
      await page.waitForSelector('#validity.valid');
      assert(await page.locator('#yaml').inputValue() === y, 'the draft is restored after a reload');
      await page.getByRole('tab', { name: 'Forms' }).click();
      assert((await ruleCard(page, 'drop-out-of-stock').locator('.summary').textContent()).includes(`not (brand is ${brand})`), 'the forms show it again');
    });

    await step('preview the combined condition on a logged request: items of other brands are hidden', page, async () => {
      await page.locator('#preview').scrollIntoViewIfNeeded();
      await page.getByRole('button', { name: 'Refresh the list' }).click();
      await page.waitForFunction(() => [...document.querySelectorAll('#recent-requests option')].some((o) => o.textContent.includes('searched “saucepan”')));
      const option = await page.locator('#recent-requests option', { hasText: 'searched “saucepan”' }).first().getAttribute('value');
      await page.getByLabel('Recent requests').selectOption(option);
      await page.getByRole('button', { name: 'Show the effect' }).click();
      await page.waitForFunction(() => /positions change|No change/.test(document.getElementById('preview-status').textContent), null, { timeout: 60_000 });
      const status = await page.locator('#preview-status').textContent();
      assert(/positions change.*items? leaves? the list/.test(status), `the logged "saucepan" search changes: ${status}`);
      const after = page.locator('#preview-result .side').nth(1);
      const metas = await after.locator('li.item .meta').allTextContents();
      assert(metas.length > 0 && metas.every((m) => m.includes(`brand ${brand}`)), `with the draft only ${brand} is shown: ${metas.join(' | ')}`);
      const hidden = await after.locator('details summary').textContent();
      assert(/items hidden by rules/.test(hidden), `the hidden items are listed: ${hidden}`);
      await shotOf(page, '#preview', 'combined-condition-preview');
    });

    await step('slot backfill and an active window through the forms; a window ending before it starts is reported at the rule', page, async () => {
      await page.getByRole('tab', { name: 'Forms' }).click();
      await page.locator('#edit').scrollIntoViewIfNeeded();
      const slot = ruleCard(page, 'sponsored-slots');
      await slot.getByRole('button', { name: 'Add a backfill condition' }).click();
      await slot.locator('#r3-backfill-n-name').fill('tags');
      await slot.locator('#r3-backfill-n-op').selectOption('in');
      await slot.locator('#r3-backfill-n-v').fill('premium, bestseller');
      await slot.locator('details.active-window summary').click();
      await slot.getByLabel('In force from').fill('2026-12-01T09:00');
      await slot.getByLabel('Until (not included)').fill('2026-11-01T09:00');
      await page.waitForSelector('#validity.invalid');
      await page.waitForSelector('#rule-list > li.rule[data-rule-id="sponsored-slots"].has-error');
      const err = await slot.locator('.rule-errors').textContent();
      assert(/start of the active window must be before its end/.test(err), `the error is shown at the rule: ${err}`);
      await slot.scrollIntoViewIfNeeded();
      await shot(page, 'active-window-error');
      await slot.getByLabel('Until (not included)').fill('2027-01-06T18:30');
      await page.waitForSelector('#validity.valid');
      const [from, until] = await page.evaluate(() => [new Date('2026-12-01T09:00').toISOString(), new Date('2027-01-06T18:30').toISOString()]
        .map((s) => s.replace('.000Z', 'Z')));
      const y = await page.locator('#yaml').inputValue();
      assert(y.includes('    backfill: {attribute: tags, in: [premium, bestseller]}'), `backfill in the YAML:\n${y}`);
      assert(y.includes(`    active: {from: "${from}", until: "${until}"}`), `active window as UTC instants in the YAML:\n${y}`);
      const summary = await slot.locator('.summary').textContent();
      assert(/fill them with the best items where tags is one of premium, bestseller/.test(summary) && /Only in force from/.test(summary), `the rule reads: ${summary}`);
      await slot.scrollIntoViewIfNeeded();
      await shot(page, 'backfill-and-active-window');
    });

    await step('round trip: a rule file with every construct loads into the forms and comes back with the same content hash', page, async () => {
      const version = await validated(base, FIXTURE);
      await page.getByRole('tab', { name: 'YAML text' }).click();
      await page.locator('#yaml').fill(FIXTURE);
      await page.getByRole('tab', { name: 'Forms' }).click();
      await page.waitForSelector('#validity.valid');
      assert(await page.locator('#rule-list .cond-other').count() === 0, 'every condition is shown as a form');
      assert(await page.locator('#rule-list fieldset.cond-group').count() === 6 && await page.locator('#rule-list fieldset.cond-not').count() === 3,
        'all groups and nots are shown');
      // Rewrite every rule through the forms: flip each group to the other kind and back, clear and retype each range
      // bound, number and date.
      const n = await page.locator('#rule-list > li.rule').count();
      for (let i = 0; i < n; i++) {
        const card = `#rule-list > li[data-index="${i}"]`;
        for (const [id, v] of await page.locator(`${card} select[id$="-kind"]`).evaluateAll((a) => a.map((e) => [e.id, e.value]))) {
          await page.locator(`#${id}`).selectOption(v === 'all' ? 'any' : 'all');
          await page.locator(`#${id}`).selectOption(v);
        }
        for (const [id, v] of await page.locator(`${card} input[type=number], ${card} input[type=datetime-local]`).evaluateAll((a) => a.map((e) => [e.id, e.value]))) {
          if (!v) continue;
          await page.locator(`#${id}`).fill('');
          await page.locator(`#${id}`).fill(v);
        }
      }
      await page.waitForSelector('#validity.valid');
      const back = await page.locator('#yaml').inputValue();
      assert(await validated(base, back) === version, 'the same content hash after the forms rewrote every rule');
      assert(back === FIXTURE, 'even the text is the same');
      await shotOf(page, '#edit', 'round-trip-forms');
      await page.getByRole('button', { name: 'Discard my changes' }).click();
      await page.waitForSelector('#validity.valid');
      assert(/same as the live rules/.test(await page.locator('#validity').textContent()), 'discarding goes back to the live rules');
    });

    await step('the forms follow the served schema: a diversify window below its minimum is refused at the field; mmr is offered', page, async () => {
      const served = await json(base, 'GET', '/v1/schemas/policy');
      assert(served.status === 200, `GET /v1/schemas/policy answered ${served.status}`);
      const diversify = served.data.$defs.rule.allOf.find((e) => e.if.properties.type.const === 'diversify').then;
      const { minimum, maximum } = diversify.properties.window;
      assert(Number.isInteger(minimum) && Number.isInteger(maximum), `the schema gives the window's limits: ${JSON.stringify(diversify.properties.window)}`);
      const offered = await page.locator('#new-rule-type option').evaluateAll((os) => os.map((o) => o.value));
      assert(JSON.stringify(offered) === JSON.stringify(served.data.$defs.rule.properties.type.enum), `rule types offered: ${offered}`);
      await page.getByRole('tab', { name: 'Forms' }).click();
      await page.getByLabel('Add a rule', { exact: true }).selectOption('diversify');
      await page.getByRole('button', { name: 'Add rule' }).click();
      const card = page.locator('#rule-list > li.rule').last();
      assert(await card.getAttribute('data-rule-id') === 'diversify-1', `the new rule: ${await card.getAttribute('data-rule-id')}`);
      await page.waitForSelector('#validity.valid');
      const windowBox = card.getByLabel('Among the top');
      assert(await windowBox.getAttribute('min') === String(minimum) && await windowBox.getAttribute('max') === String(maximum),
        `the window input takes its limits from the schema: min ${await windowBox.getAttribute('min')}, max ${await windowBox.getAttribute('max')}`);
      await windowBox.fill(String(minimum - 1));
      const msg = await card.locator('[data-field="window"] .field-msg').textContent();
      assert(msg.includes(`from ${minimum} to ${maximum}`), `the field names the schema's limits at once: ${msg}`);
      assert(await windowBox.getAttribute('aria-invalid') === 'true', 'the field is marked invalid');
      await page.waitForSelector('#validity.invalid'); // and the server's validation agrees
      await page.waitForSelector('#rule-list > li.rule[data-rule-id="diversify-1"].has-error');
      assert(/window/.test(await card.locator('.rule-errors').textContent()), 'the server names the window too');
      await card.scrollIntoViewIfNeeded();
      await shot(page, 'diversify-window-below-minimum');
      await windowBox.fill(String(minimum));
      await page.waitForSelector('#validity.valid');
      assert(await card.locator('[data-field="window"] .field-msg').textContent() === '', 'the message goes once the value is allowed');
      // diversify by item vectors: the choice comes from the schema, and by mmr the form drops the attribute
      const method = card.getByLabel('Spread out items that');
      const methods = await method.locator('option').evaluateAll((os) => os.map((o) => o.value));
      assert(methods.includes('mmr') && methods.includes('attribute'), `methods offered: ${methods}`);
      await method.selectOption('mmr');
      await page.waitForSelector('#validity.valid');
      assert(await card.locator('[data-field="attribute"]').count() === 0, 'no attribute field by mmr');
      const y = await page.locator('#yaml').inputValue();
      const rule = y.slice(y.indexOf('id: diversify-1'));
      assert(/method: mmr/.test(rule) && !/attribute:/.test(rule), `the YAML has the mmr rule:\n${rule}`);
      assert(/Spread out items that look alike in the top \d+/.test(await card.locator('.summary').textContent()), 'the rule reads in plain words');
      await shot(page, 'diversify-mmr');
      await page.getByRole('button', { name: 'Discard my changes' }).click();
      await page.waitForSelector('#validity.valid');
      assert(/same as the live rules/.test(await page.locator('#validity').textContent()), 'discarding goes back to the live rules');
    });

    await step('the server refuses an invalid rule set and a missing token, whatever the page does', null, async () => {
      const bad = await fetch(`${base}/v1/policies/${SURFACE}`, { method: 'PUT', headers: { 'Content-Type': 'application/yaml', Authorization: `Bearer ${TOKEN}` },
        body: 'rules:\n  - id: x\n    type: cap\n    attribute: brand\n    max: -1\n    topK: 10\n' });
      assert(bad.status === 422, `invalid publish answered ${bad.status}`);
      const anon = await fetch(`${base}/v1/policies/${SURFACE}`, { method: 'PUT', headers: { 'Content-Type': 'application/yaml' }, body: 'rules: []\n' });
      assert(anon.status === 401, `publish without a token answered ${anon.status}`);
      assert(await servedPolicyVersion(base) === liveBefore, 'the live version is unchanged');
    });

    await step('no script errors in the page', null, async () => {
      assert(pageErrors.length === 0, pageErrors.join(' | '));
    });
  } catch (e) {
    failed++;
    results.push(`FAIL  setup: ${e.message}`);
    log(`FAIL  setup: ${e.stack || e}`);
  } finally {
    if (context) await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    await service.stop();
  }
  if (skipped) log(`${skipped} skipped (see above)`);
  fs.writeFileSync(path.join(SHOTS, 'results.txt'), results.join('\n') + `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  log(`screenshots: ${SHOTS}`);
  log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
