// The OHIF Viewer through the gateway, in Debian's Chromium, as a radiologist and a technologist
// use it, and the archive console (Orthanc Explorer) as an admin uses it. Started by the Java
// integration tests, which deploy the gateway, load the studies and pass everything in the environment:
//   GATEWAY_URL            the gateway's public base URL, context path included, no trailing slash
//   E2E_SUITE              "full" (every test), or the core under another name ("sub-path", "wildfly"):
//                          login, study list, the images of E2E_IMAGES, upload hidden
//   VIEWER_USER/_PASSWORD, UPLOADER_USER/_PASSWORD, ADMIN_USER/_PASSWORD (full suite)
//   E2E_IMAGES             JSON list of {name, study, series, scroll}: studies that must render
//   E2E_UPLOAD_FILE, E2E_UPLOAD_STUDY   a DICOM file for the upload dialog and its study UID
//   E2E_CONSOLE_UPLOAD_FILE, E2E_CONSOLE_UPLOAD_STUDY   the same for the archive console's upload page
//   E2E_ARTIFACTS          where screenshots of failed tests go
//   CHROMIUM               the browser (default /usr/bin/chromium)
// and the viewer settings the gateway runs with, from the build's environment (pom.xml):
//   GATEWAY_VIEWER_TITLE, GATEWAY_VIEWER_DATA_SOURCE_NAME, GATEWAY_VIEWER_STUDY_LIST_PAGE_SIZE,
//   GATEWAY_VIEWER_TOUR, GATEWAY_VIEWER_INVESTIGATIONAL_USE_NOTICE,
//   E2E_DEFAULT_MODE_ROUTE  the route of the mode set as GATEWAY_VIEWER_DEFAULT_MODE
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = required('GATEWAY_URL');
const origin = new URL(base).origin;
const basePath = new URL(base).pathname.replace(/\/$/, '');
const suite = process.env.E2E_SUITE || 'full';
const viewer = { username: required('VIEWER_USER'), password: required('VIEWER_PASSWORD') };
const images = JSON.parse(required('E2E_IMAGES'));
const artifacts = process.env.E2E_ARTIFACTS || 'e2e-artifacts';
const title = required('GATEWAY_VIEWER_TITLE');
const dataSourceName = required('GATEWAY_VIEWER_DATA_SOURCE_NAME');
const pageSize = Number(required('GATEWAY_VIEWER_STUDY_LIST_PAGE_SIZE'));
const defaultModeRoute = required('E2E_DEFAULT_MODE_ROUTE');
const tourShown = required('GATEWAY_VIEWER_TOUR') === 'true';
const investigationalUseNoticeShown = required('GATEWAY_VIEWER_INVESTIGATIONAL_USE_NOTICE') === 'true';
// A picture, not a blank or uniform canvas: the variance of the red channel over the viewport.
const MIN_VARIANCE = 25;

let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    // The machine has no network beyond loopback: Chromium's own background traffic is off.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
});

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/**
 * Runs one user's session in a fresh browser context and checks what any session must meet:
 * cross-origin isolation (the viewer's pages), no request leaves the gateway's origin, none fails,
 * no console error or dialog (unless the test provokes failures), and no Content-Security-Policy
 * violation ever. The body gets the page and the violations seen so far. Screenshot on failure.
 * expectedMisses: requests whose 404 is an answer the page asks for, not a failure.
 */
async function session(name, credentials, body, { provokedFailures = false, isolated = true, expectedMisses = () => false } = {}) {
  const context = await browser.newContext({ httpCredentials: credentials, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const foreign = [];
  const failed = [];
  const consoleErrors = [];
  const violations = [];
  // Reported from the page as they happen; a blocked inline script or style shows nowhere else
  // but as a console error.
  await page.exposeBinding('reportViolation', (_, violation) => violations.push(violation));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', event =>
    window.reportViolation(`${event.effectiveDirective} blocked ${event.blockedURI}`
      + ` at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`)));
  page.on('request', request => {
    const url = request.url();
    if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) {
      foreign.push(url);
    }
  });
  page.on('requestfailed', request => {
    // A prefetch the viewer cancels itself (ERR_ABORTED) is not a failure anyone sees.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') {
      failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
    }
  });
  page.on('response', response => {
    if (response.status() >= 400 && !(response.status() === 404 && expectedMisses(response.url()))) {
      failed.push(`${response.request().method()} ${response.url()}: ${response.status()}`);
    }
  });
  page.on('console', message => {
    if (message.type() === 'error' && !expectedMisses(message.location().url)) {
      consoleErrors.push(message.text().slice(0, 500));
    }
  });
  page.on('pageerror', error => consoleErrors.push(`uncaught: ${String(error).slice(0, 500)}`));
  page.on('dialog', dialog => {
    consoleErrors.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  try {
    await body(page, violations);
    assert.equal(await page.evaluate(() => crossOriginIsolated), isolated, 'the page is cross-origin isolated');
    assert.deepEqual(foreign, [], 'requests outside the gateway origin');
    assert.deepEqual(violations, [], 'Content-Security-Policy violations');
    if (!provokedFailures) {
      assert.deepEqual(failed, [], 'failed requests');
      assert.deepEqual(consoleErrors, [], 'console errors');
    }
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    const file = `${artifacts}/${suite}-${name.replace(/[^a-z0-9]+/gi, '-')}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    const details = `\n(screenshot: ${file}; url: ${page.url()})`
      + `\nfailed requests: ${JSON.stringify(failed.slice(0, 10))}\nconsole errors: ${JSON.stringify(consoleErrors.slice(0, 10))}`
      + `\nCSP violations: ${JSON.stringify(violations.slice(0, 10))}`;
    error.message += details;
    // The test reporter prints the stack, which holds the message as it was when thrown.
    error.stack += details;
    throw error;
  } finally {
    await context.close();
  }
}

/**
 * OHIF's first-use notices (guided tour, investigational use banner) cover the viewport: those
 * the gateway switched off must not show, the others are closed.
 */
async function checkNotices(page) {
  for (const [label, shown] of [['Skip all', tourShown], ['Confirm and hide', investigationalUseNoticeShown]]) {
    const button = page.getByRole('button', { name: label }).or(page.getByText(label, { exact: true })).first();
    const visible = await button.isVisible().catch(() => false);
    if (shown && visible) {
      await button.click();
    }
    assert.ok(shown || !visible, `"${label}" shows although switched off`);
  }
  if (!investigationalUseNoticeShown) {
    assert.equal(await page.getByText('for investigational use only').count(), 0, 'no investigational use banner');
  }
}

/** The site's title in place of OHIF's logo, in the header and the browser's tab. */
async function checkTitle(page) {
  await page.getByText(title, { exact: true }).first().waitFor({ timeout: 30_000 });
  assert.equal(await page.getByLabel('OHIF logo').count(), 0, 'no OHIF logo beside the title');
  assert.equal(await page.title(), title);
}

/** Statistics of the main viewport's canvas, or null while there is none. */
function viewportPixels(page) {
  return page.evaluate(() => {
    const canvas = document.querySelector('canvas.cornerstone-canvas');
    if (!canvas || !canvas.width) {
      return null;
    }
    const data = canvas.getContext('2d', { willReadFrequently: true }).getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    let squares = 0;
    let hash = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i];
      squares += data[i] * data[i];
      hash = (hash * 31 + data[i] + 7 * data[i + 1] + 13 * data[i + 2]) >>> 0;
    }
    const pixels = data.length / 4;
    const mean = sum / pixels;
    return { variance: squares / pixels - mean * mean, hash, width: canvas.width, height: canvas.height };
  });
}

async function awaitImage(page, what) {
  let pixels = null;
  for (let waited = 0; waited < 90_000; waited += 500) {
    pixels = await viewportPixels(page);
    if (pixels && pixels.variance > MIN_VARIANCE) {
      return pixels;
    }
    await page.waitForTimeout(500);
  }
  assert.fail(`${what}: no image in the viewport after 90 s (last canvas: ${JSON.stringify(pixels)})`);
}

async function openViewer(page, image) {
  const url = `${base}/viewer?StudyInstanceUIDs=${image.study}` + (image.series ? `&SeriesInstanceUIDs=${image.series}` : '');
  const response = await page.goto(url);
  assert.equal(response.status(), 200);
  await awaitImage(page, image.name);
  // Let the first frame settle (window/level and overlays are applied after the first draw).
  await page.waitForTimeout(1000);
  await checkNotices(page);
  await checkTitle(page);
  return awaitImage(page, image.name);
}

/** The QIDO answer for one study. */
async function qidoStudy(page, studyInstanceUid) {
  const response = await page.request.get(`${base}/pacs/studies?StudyInstanceUID=${studyInstanceUid}`, {
    headers: { Accept: 'application/dicom+json' },
  });
  assert.equal(response.status(), 200);
  const [study] = await response.json();
  return study;
}

async function studyListQido(page) {
  const response = await page.request.get(`${base}/pacs/studies?limit=101&offset=0`, {
    headers: { Accept: 'application/dicom+json' },
  });
  assert.equal(response.status(), 200);
  return response.json();
}

test('a wrong password is refused', async () => {
  // A name of its own, so this failure does not count towards locking out the viewer.
  const context = await browser.newContext({ httpCredentials: { username: 'intruder', password: 'not-the-password' } });
  try {
    const page = await context.newPage();
    const response = await page.goto(`${base}/`);
    assert.equal(response.status(), 401);
    assert.equal(await page.locator('canvas').count(), 0);
  } finally {
    await context.close();
  }
});

test('the study list shows the studies QIDO returns, a page of the configured size', async () => {
  await session('study list', viewer, async page => {
    await page.goto(`${base}/`);
    const studies = await studyListQido(page);
    assert.ok(studies.length > 0, 'the archive has studies');
    // Paging shows when the archive holds more than a page (always with the sample studies).
    const onFirstPage = Math.min(studies.length, pageSize);
    await page.getByText(`1-${onFirstPage} of ${studies.length}`, { exact: true }).waitFor({ timeout: 60_000 });
    await checkTitle(page);
    await checkNotices(page);
    // The filter row (inputs) is a table row too; the study rows are the others.
    const rows = page.locator('tbody tr').filter({ hasNot: page.locator('input') });
    const shown = await rows.allInnerTexts();
    const names = studies.map(study => study['00100010']?.Value?.[0]?.Alphabetic ?? '');
    assert.equal(shown.length, onFirstPage, `rows shown: ${shown.length}`);
    for (const row of shown) {
      const patient = row.split('\n')[0].trim();
      assert.ok(patient.length > 0, `a study row names its patient: ${row}`);
      assert.ok(names.some(name => name.replace(/\^/g, ', ').startsWith(patient.replace(/(\.\.\.|…)$/, ''))
        || name.startsWith(patient)), `row "${patient}" is one of QIDO's patients`);
    }
  });
});

test('an unreachable archive is named as configured', async () => {
  await session('archive down', viewer, async page => {
    await page.route(url => url.pathname.endsWith('/pacs/studies'),
      route => route.fulfill({ status: 502, contentType: 'text/plain', body: 'The image archive is not reachable.' }));
    await page.goto(`${base}/`);
    await page.getByText('Data Source Connection Error').waitFor({ timeout: 60_000 });
    await page.getByText(dataSourceName, { exact: true }).waitFor({ timeout: 5_000 });
  }, { provokedFailures: true });
});

test('a double-clicked study opens in the configured default mode unless the user chose another', async () => {
  const image = images.at(-1);
  await session('default mode', viewer, async page => {
    await page.goto(`${base}/`);
    const patient = (await qidoStudy(page, image.study))['00100010'].Value[0].Alphabetic.split('^')[0];
    const openFromList = async route => {
      // Found by patient name through the address, whatever page it would be on.
      await page.goto(`${base}/?patientName=${encodeURIComponent(patient)}`);
      await page.locator('tbody tr').filter({ hasText: patient }).first().dblclick();
      await page.waitForURL(url => url.pathname === `${basePath}/${route}`
        && url.searchParams.get('StudyInstanceUIDs') === image.study, { timeout: 30_000 });
      await awaitImage(page, `${image.name} in ${route}`);
    };
    await openFromList(defaultModeRoute);
    // Where OHIF's "Default Workflow" setting keeps the user's choice.
    await page.evaluate(() => localStorage.setItem('studyList.defaultWorkflow', '@ohif/mode-longitudinal'));
    await openFromList('viewer');
  });
});

for (const image of images) {
  test(`${image.name} renders in the viewport`, async () => {
    await session(image.name, viewer, async page => {
      const first = await openViewer(page, image);
      if (image.scroll) {
        const canvas = page.locator('canvas.cornerstone-canvas').first();
        const box = await canvas.boundingBox();
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        for (let step = 0; step < 5; step++) {
          await page.mouse.wheel(0, 120);
          await page.waitForTimeout(150);
        }
        let now = first;
        for (let waited = 0; waited < 15_000 && now.hash === first.hash; waited += 250) {
          await page.waitForTimeout(250);
          now = await viewportPixels(page);
        }
        assert.notEqual(now.hash, first.hash, 'scrolling shows another image');
        assert.ok(now.variance > MIN_VARIANCE, `the next image is a picture too (variance ${now.variance})`);
      }
    });
  });
}

if (suite === 'full') {
  const uploader = { username: required('UPLOADER_USER'), password: required('UPLOADER_PASSWORD') };

  test('an uploader uploads a file through the upload dialog and finds its study', async () => {
    const study = required('E2E_UPLOAD_STUDY');
    await session('upload', uploader, async page => {
      await page.goto(`${base}/`);
      await checkNotices(page);
      const stored = page.waitForResponse(response => response.url() === `${base}/pacs/studies`
        && response.request().method() === 'POST');
      await page.getByRole('button', { name: 'Upload' }).click();
      await page.locator('input[type=file]:not([webkitdirectory])').setInputFiles(required('E2E_UPLOAD_FILE'));
      assert.equal((await stored).status(), 200);
      await page.getByText('1 file completed.').waitFor({ timeout: 60_000 });
      const found = await page.request.get(`${base}/pacs/studies?StudyInstanceUID=${study}`,
        { headers: { Accept: 'application/dicom+json' } });
      assert.equal(found.status(), 200);
      assert.equal((await found.json()).length, 1, 'the uploaded study is in the archive');
      await page.getByRole('button', { name: 'Close' }).first().click();
      await page.goto(`${base}/viewer?StudyInstanceUIDs=${study}`);
      await awaitImage(page, 'the uploaded study');
    });
  });

  const admin = { username: required('ADMIN_USER'), password: required('ADMIN_PASSWORD') };

  test('an admin browses, looks up and uploads in the archive console, which runs no inline code but its own', async () => {
    const image = images.at(-1);
    const uploadStudy = required('E2E_CONSOLE_UPLOAD_STUDY');
    const explorer = `${base}/pacs-admin/app/explorer.html`;
    await session('archive console', admin, async page => {
      const response = await page.goto(explorer);
      assert.equal(response.status(), 200);
      const scriptSources = response.headers()['content-security-policy'].split(';')
        .find(directive => directive.trim().startsWith('script-src'));
      assert.doesNotMatch(scriptSources, /'unsafe-inline'|'unsafe-eval'/);
      const patientName = (await qidoStudy(page, image.study))['00100010'].Value[0].Alphabetic;

      // Every patient the archive holds (Orthanc Explorer lists at most 100).
      const patients = await (await page.request.get(`${base}/pacs-admin/patients?expand`)).json();
      assert.ok(patients.length > 0, 'the archive has patients');
      await page.locator('#lookup a[href="#find-patients"]').click();
      const shown = page.locator('#all-patients li h3');
      await shown.first().waitFor({ timeout: 30_000 });
      assert.equal(await shown.count(), Math.min(patients.length, 100), 'patients listed');
      const names = patients.map(patient => patient.MainDicomTags.PatientName ?? '');
      for (const shownName of await shown.allInnerTexts()) {
        assert.ok(names.includes(shownName.trim()), `"${shownName}" is one of the archive's patients`);
      }

      // Down to one instance: its tags and its preview.
      await page.locator('#all-patients li a').filter({ hasText: patientName }).first().click();
      await page.locator('#list-studies li a').first().click();
      await page.locator('#study-info').getByText(image.study).waitFor({ timeout: 30_000 });
      await page.locator('#list-series li a').first().click();
      await page.locator('#list-instances li a').first().click();
      await page.locator('#dicom-tree').getByText('0008,0018').waitFor({ timeout: 30_000 });
      const preview = page.waitForResponse(answer => /\/instances\/[^/]+\/preview/.test(answer.url()));
      await page.locator('#instance-preview').click();
      assert.equal((await preview).status(), 200);
      await page.locator('#lbImage').waitFor({ timeout: 30_000 });
      await page.keyboard.press('Escape');

      // Lookup (a POST to Orthanc's tools/find).
      await page.goto(`${explorer}#lookup`);
      await page.locator('#lookup-patient-name').fill(patientName);
      await page.locator('#lookup-submit').click();
      await page.locator('#lookup-result li a').filter({ hasText: patientName }).first().waitFor({ timeout: 30_000 });

      // Upload: the page's "Select files to upload" item opens the file chooser. The page takes
      // files only once it is shown, and starts only those it has taken: on a busy machine a
      // click on "Start the upload" can come before either, and then nothing is sent.
      await page.goto(`${explorer}#upload`);
      await page.locator('#upload.ui-page-active').waitFor({ timeout: 30_000 });
      const chooser = page.waitForEvent('filechooser', { timeout: 10_000 });
      await page.locator('#fileupload-proxy').click();
      await (await chooser).setFiles(required('E2E_CONSOLE_UPLOAD_FILE'));
      await page.waitForFunction(() => window.pendingUploads?.length > 0, null, { timeout: 30_000 });
      const stored = page.waitForResponse(answer => answer.url() === `${base}/pacs-admin/instances/`
        && answer.request().method() === 'POST');
      await page.locator('#upload-button').click();
      assert.equal((await stored).status(), 200);
      const found = await page.request.get(`${base}/pacs/studies?StudyInstanceUID=${uploadStudy}`,
        { headers: { Accept: 'application/dicom+json' } });
      assert.equal((await found.json()).length, 1, 'the uploaded study is in the archive');

      for (const [pageId, heading] of [['query-retrieve', 'DICOM Query/Retrieve'], ['jobs', 'Jobs'], ['plugins', 'Plugins']]) {
        await page.goto(`${explorer}#${pageId}`);
        await page.locator(`#${pageId} h1`).filter({ hasText: heading }).waitFor({ timeout: 30_000 });
      }

      // Markup slipped into the console (a value shown unescaped) cannot run an inline handler of
      // its own. On a page of its own, whose refusal is the one expected.
      const probe = await page.context().newPage();
      await probe.goto(explorer);
      assert.equal(await probe.evaluate(() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', event => resolve(`refused by ${event.effectiveDirective}`));
        document.body.insertAdjacentHTML('beforeend', '<button id="slipped-in" onclick="window.slippedIn = true">x</button>');
        document.getElementById('slipped-in').click();
        if (window.slippedIn) {
          resolve('ran');
        }
      })), 'refused by script-src-attr', 'an inline event handler slipped into the console');
      await probe.close();
    }, {
      isolated: false,
      // Orthanc Explorer asks whether each instance it shows is a PDF; 404 means no.
      expectedMisses: url => /\/pacs-admin\/instances\/[^/]+\/pdf\?/.test(url),
    });
  });
}

test('a viewer has no upload', async () => {
  await session('no upload', viewer, async page => {
    await page.goto(`${base}/`);
    await page.getByText(/^1-\d+ of \d+$/).waitFor({ timeout: 60_000 });
    assert.equal(await page.getByRole('button', { name: 'Upload' }).count(), 0);
    const config = await page.request.get(`${base}/app-config.js`);
    assert.match(await config.text(), /"upload": false/);
  });
});
