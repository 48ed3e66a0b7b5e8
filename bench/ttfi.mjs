// Time to first image of the OHIF Viewer in headless Chromium, through nginx set up like OHIF's
// recipe and through the gateway, over HTTP/1.1, HTTP/1.1 with TLS and HTTP/2 with TLS, with a
// cold and a warm browser cache, and over HTTP/2 in a profile kept on disk (a user's browser).
// bench/ttfi starts the servers and passes everything in the environment:
//   TTFI_NODE_MODULES  where playwright-core is installed (npm ci of src/test/e2e's lock file)
//   TTFI_URLS          JSON {"nginx": {"http": base, "https": base}, "gateway": {...}}
//   TTFI_STUDY         the study opened; TTFI_PASSWORD the viewer user's password
//   TTFI_SPKI          base64 SHA-256 of the servers' public key: Chromium treats the self-signed
//                      certificate as valid, so it caches what it loads over TLS
//   TTFI_ROUNDS        rounds; TTFI_RAW file for one JSON line per load
//   TTFI_FRESH         JSON {"nginx": [study per round], "gateway": [...]}: studies uploaded and
//                      stable but never opened, each opened once over HTTP/2 with a cold cache
//   CHROMIUM           the browser (default /usr/bin/chromium)
// Prints the Markdown tables of the report on standard output, progress on standard error.
import { createRequire } from 'node:module';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const { chromium } = createRequire(`${process.env.TTFI_NODE_MODULES}/`)('playwright-core');

const urls = JSON.parse(process.env.TTFI_URLS);
const study = process.env.TTFI_STUDY;
const rounds = Number(process.env.TTFI_ROUNDS);
const raw = process.env.TTFI_RAW;
const authorization = 'Basic ' + Buffer.from(`viewer:${process.env.TTFI_PASSWORD}`).toString('base64');
// The e2e test's threshold: a picture, not a blank or uniform canvas (variance of the red channel).
const MIN_VARIANCE = 25;
// The viewport is downscaled to this size before each check, so that checking every frame costs
// the page well under a millisecond.
const PROBE = 128;
// The network is settled after this long without a request starting, receiving or ending. (Not
// "every request finished": the main scripts of web workers never finish in the page's log.)
const QUIET_MS = 1000;
const SETTLE_MAX_MS = 30_000;

const SERVERS = ['nginx', 'gateway'];
const PROTOCOLS = {
  h1: { scheme: 'http', browser: 'h2', expect: 'http/1.1', label: 'HTTP/1.1' },
  'h1-tls': { scheme: 'https', browser: 'h1', expect: 'http/1.1', label: 'HTTP/1.1 + TLS' },
  h2: { scheme: 'https', browser: 'h2', expect: 'h2', label: 'HTTP/2 + TLS' },
};
const CACHES = ['cold', 'warm'];
const CACHE_LABELS = { cold: 'cold', warm: 'warm', profile: 'profile kept, 3rd visit' };

const log = message => process.stderr.write(`${message}\n`);

/** Started in every document before its own scripts: watches the viewport on every frame. */
function watchViewport([probe, minVariance]) {
  const copies = new Map();
  const variance = (canvas, width, height) => {
    const key = `${width}x${height}`;
    if (!copies.has(key)) {
      const copy = document.createElement('canvas');
      copy.width = width;
      copy.height = height;
      copies.set(key, copy.getContext('2d', { willReadFrequently: true }));
    }
    const context = copies.get(key);
    context.clearRect(0, 0, width, height);
    context.drawImage(canvas, 0, 0, width, height);
    const data = context.getImageData(0, 0, width, height).data;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i];
      squares += data[i] * data[i];
    }
    const mean = sum / (data.length / 4);
    return squares / (data.length / 4) - mean * mean;
  };
  window.__ttfi = { variance };
  const check = () => {
    const canvas = document.querySelector('canvas.cornerstone-canvas');
    if (canvas && canvas.width && variance(canvas, probe, probe) > minVariance) {
      window.__ttfi.at = performance.now();
      return;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Chromium's own account of the network, page and workers alike, for one load at a time. */
async function networkLog(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  const state = { last: Date.now() };
  const touch = () => { state.last = Date.now(); };
  cdp.on('Network.requestWillBeSent', event => {
    if (/^https?:/.test(event.request.url)) {
      // A redirect reuses the id: the earlier hop was finished by it.
      requests.set(event.requestId, {
        url: event.request.url, document: event.type === 'Document', wallTime: event.wallTime, start: event.timestamp,
      });
      touch();
    }
  });
  cdp.on('Network.requestServedFromCache', event => {
    const request = requests.get(event.requestId);
    if (request) request.cached = true;
  });
  cdp.on('Network.responseReceived', event => {
    const request = requests.get(event.requestId);
    if (!request) return;
    const { response } = event;
    Object.assign(request, { status: response.status, protocol: response.protocol });
    request.cached ||= response.fromDiskCache;
    if (event.type === 'Document') {
      request.tls = response.securityDetails
        && `${response.securityDetails.protocol} ${response.securityDetails.cipher} ${response.securityDetails.keyExchangeGroup ?? ''}`.trim();
    }
  });
  cdp.on('Network.dataReceived', touch);
  cdp.on('Network.loadingFinished', event => {
    const request = requests.get(event.requestId);
    if (request) Object.assign(request, { end: event.timestamp, bytes: event.encodedDataLength });
    touch();
  });
  cdp.on('Network.loadingFailed', event => {
    const request = requests.get(event.requestId);
    if (request) Object.assign(request, { end: event.timestamp, error: event.errorText });
    touch();
  });
  return {
    reset() { requests.clear(); touch(); },
    all: () => [...requests.values()],
    async settled() {
      const started = Date.now();
      while (Date.now() - state.last < QUIET_MS) {
        if (Date.now() - started > SETTLE_MAX_MS) return null;
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      return Date.now() - started;
    },
  };
}

/** One load: navigation start to the first frame whose viewport is a picture. */
async function load(page, network, url) {
  network.reset();
  const response = await page.goto(url);
  if (response.status() !== 200) throw new Error(`${url}: ${response.status()}`);
  await page.waitForFunction(() => window.__ttfi.at !== undefined, null, { timeout: 90_000 });
  const seen = await page.evaluate(() => {
    const canvas = document.querySelector('canvas.cornerstone-canvas');
    return { at: window.__ttfi.at, origin: performance.timeOrigin, variance: window.__ttfi.variance(canvas, canvas.width, canvas.height) };
  });
  const settleMs = await network.settled();
  const requests = network.all();
  // Chromium's monotonic clock of the network events, against the page's wall clock.
  const main = requests.find(request => request.document);
  const navigationStart = main.start + (seen.origin / 1000 - main.wallTime);
  const imageAt = navigationStart + seen.at / 1000;
  // Where the time goes: when the first request of each kind ended, from navigation start.
  const ended = pattern => {
    const ends = requests.filter(r => r.end !== undefined && pattern.test(new URL(r.url).pathname)).map(r => r.end);
    return ends.length ? (Math.min(...ends) - navigationStart) * 1000 : null;
  };
  // When the viewer asked for the first such request: what lies before is the browser's own work.
  const asked = pattern => {
    const starts = requests.filter(r => pattern.test(new URL(r.url).pathname)).map(r => r.start);
    return starts.length ? (Math.min(...starts) - navigationStart) * 1000 : null;
  };
  const beforeImage = requests.filter(request => request.end !== undefined && request.end <= imageAt);
  const bytes = list => list.reduce((sum, request) => sum + (request.bytes ?? 0), 0);
  return {
    ttfi_ms: seen.at,
    document_ms: ended(/^\/viewer$/),
    bundle_ms: ended(/^\/app\.bundle\.[0-9a-f]+\.js$/),
    studies_ms: ended(/^\/pacs\/studies$/),
    metadata_ms: ended(/\/metadata$/),
    frame_asked_ms: asked(/\/frames\/1$/),
    frame_ms: ended(/\/frames\/1$/),
    variance: seen.variance,
    requests: requests.length,
    from_cache: requests.filter(request => request.cached).length,
    bytes: bytes(requests),
    requests_to_image: beforeImage.length,
    bytes_to_image: bytes(beforeImage),
    protocols: [...new Set(requests.filter(request => request.protocol).map(request => request.protocol))].sort(),
    tls: main.tls ?? null,
    // A prefetch the viewer cancels itself (ERR_ABORTED) is not a failure anyone sees.
    aborted: requests.filter(request => request.error === 'net::ERR_ABORTED').length,
    failed: requests.filter(request => (request.error && request.error !== 'net::ERR_ABORTED') || request.status >= 400)
      .map(request => `${request.url}: ${request.error ?? request.status}`),
    settle_ms: settleMs,
  };
}

/** The viewer opening a study, on one server over one protocol. */
const viewerUrl = (server, protocol, studyUid) => `${urls[server][PROTOCOLS[protocol].scheme]}/viewer?StudyInstanceUIDs=${studyUid}`;

const CONTEXT_OPTIONS = {
  viewport: { width: 1400, height: 900 },
  // Not httpCredentials: with those, Playwright intercepts every request through the DevTools
  // protocol, which made loads here about 2 s slower. The header is what a browser sends on
  // its own after the first login.
  extraHTTPHeaders: { Authorization: authorization },
};

/**
 * Loads of one server and protocol in one browser context, one per entry of `kinds`: the kind
 * recorded for it, or null for a visit that only prepares the next (not recorded).
 */
async function visits(context, round, server, protocol, url, kinds) {
  await context.addInitScript(watchViewport, [PROBE, MIN_VARIANCE]);
  const page = context.pages()[0] ?? await context.newPage();
  const network = await networkLog(context, page);
  const results = [];
  for (const [visit, cache] of kinds.entries()) {
    if (visit > 0) {
      // Leave the viewer, so the next load starts a new document like the first.
      await page.goto('about:blank');
    }
    const result = { round, server, protocol, cache, ...(await load(page, network, url)) };
    if (round > 0 && cache) {
      appendFileSync(raw, JSON.stringify(result) + '\n');
    }
    log(`   ${server.padEnd(8)} ${protocol.padEnd(7)} ${(cache ?? `visit ${visit + 1}`).padEnd(7)} ${result.ttfi_ms.toFixed(0).padStart(6)} ms  `
      + `${result.requests} requests (${result.from_cache} from cache), ${(result.bytes / 1e6).toFixed(1)} MB`
      + (result.failed.length ? `  FAILED ${result.failed.length}` : ''));
    if (cache) {
      results.push(result);
    }
  }
  return results;
}

/** Loads of one server and protocol: cold then warm, or with a fresh study one cold load ('fresh'). */
async function measure(browsers, round, server, protocol, freshStudy) {
  // A new context: empty cache, no connections, no TLS sessions. Like a private window, it keeps
  // its cache in memory (a third visit in one was no faster than the second: BENCHMARKS.md).
  const context = await browsers[PROTOCOLS[protocol].browser].newContext(CONTEXT_OPTIONS);
  try {
    return await visits(context, round, server, protocol, viewerUrl(server, protocol, freshStudy ?? study),
      freshStudy ? ['fresh'] : CACHES);
  } finally {
    await context.close();
  }
}

/**
 * A user's browser over HTTP/2: a new profile on disk, which keeps the HTTP cache and, for a
 * script loaded from that cache again, V8's compiled code (made on the second run, used from the
 * third). The third visit is recorded ('profile').
 */
async function measureProfile(round, server) {
  const directory = mkdtempSync(join(tmpdir(), 'ttfi-profile-'));
  try {
    const context = await chromium.launchPersistentContext(directory, { executablePath, args, ...CONTEXT_OPTIONS });
    try {
      return await visits(context, round, server, 'h2', viewerUrl(server, 'h2', study), [null, null, 'profile']);
    } finally {
      await context.close();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

const median = values => {
  const sorted = values.filter(value => value !== null && value !== undefined).sort((a, b) => a - b);
  if (!sorted.length) return null;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const fmt = (value, digits = 0) => (value === null ? 'n/a'
  : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function report(results) {
  const of = (server, protocol, cache) => results.filter(r => r.server === server && r.protocol === protocol && r.cache === cache);
  const med = (server, protocol, cache, key) => median(of(server, protocol, cache).map(r => r[key]));
  const ratios = (a, b, cache) => {
    const byRound = new Map();
    for (const r of results.filter(x => x.cache === cache)) {
      if (r.server === a.server && r.protocol === a.protocol) byRound.set(r.round, { ...byRound.get(r.round), a: r.ttfi_ms });
      if (r.server === b.server && r.protocol === b.protocol) byRound.set(r.round, { ...byRound.get(r.round), b: r.ttfi_ms });
    }
    return [...byRound.entries()].sort(([x], [y]) => x - y).filter(([, v]) => v.a && v.b).map(([, v]) => v.a / v.b);
  };
  const out = [];
  const misses = [];
  out.push(`### Time to first image (ms, median of ${rounds} rounds; min-max)`, '');
  out.push('| Cache | Protocol | nginx | gateway | gateway ÷ nginx | per round | gateway ≤ nginx |');
  out.push('|---|---|---:|---:|---:|---|:---:|');
  for (const cache of CACHES) {
    for (const protocol of Object.keys(PROTOCOLS)) {
      const cell = server => {
        const values = of(server, protocol, cache).map(r => r.ttfi_ms);
        return `${fmt(median(values))} (${fmt(Math.min(...values))}-${fmt(Math.max(...values))})`;
      };
      const ratio = med('gateway', protocol, cache, 'ttfi_ms') / med('nginx', protocol, cache, 'ttfi_ms');
      const perRound = ratios({ server: 'gateway', protocol }, { server: 'nginx', protocol }, cache);
      if (ratio > 1) misses.push(`${cache} cache, ${PROTOCOLS[protocol].label}: the gateway takes ${fmt(ratio, 3)} × nginx's time`);
      out.push(`| ${cache} | ${PROTOCOLS[protocol].label} | ${cell('nginx')} | ${cell('gateway')} | ${fmt(ratio, 2)} | `
        + `${perRound.map(x => fmt(x, 2)).join(' / ')} | ${ratio <= 1 ? 'yes' : 'no'} |`);
    }
  }
  out.push('', '### Target: gateway over HTTP/2 at most 0.8 × nginx over HTTP/1.1', '');
  out.push('| Cache | nginx HTTP/1.1 | gateway HTTP/2 | ratio | per round | ≤ 0.8 |');
  out.push('|---|---:|---:|---:|---|:---:|');
  for (const cache of CACHES) {
    const n = med('nginx', 'h1', cache, 'ttfi_ms');
    const g = med('gateway', 'h2', cache, 'ttfi_ms');
    const perRound = ratios({ server: 'gateway', protocol: 'h2' }, { server: 'nginx', protocol: 'h1' }, cache);
    // Three digits: a ratio near the target must not read as 0.80 and "no".
    if (g / n > 0.8) misses.push(`${cache} cache: gateway over HTTP/2 takes ${fmt(g / n, 3)} × nginx over HTTP/1.1 (target 0.8)`);
    out.push(`| ${cache} | ${fmt(n)} | ${fmt(g)} | ${fmt(g / n, 3)} | ${perRound.map(x => fmt(x, 2)).join(' / ')} | ${g / n <= 0.8 ? 'yes' : 'no'} |`);
  }
  // Cold and warm over every protocol, then the kept profile (HTTP/2 only).
  const loadKinds = [...CACHES.flatMap(cache => Object.keys(PROTOCOLS).map(protocol => [cache, protocol])), ['profile', 'h2']];
  out.push('', '### Where the time goes (ms from navigation start, median)', '');
  out.push('| Cache | Protocol | Server | page | app.bundle.js | first QIDO | first series metadata | first frame asked | first frame | image |');
  out.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [cache, protocol] of loadKinds) {
    for (const server of SERVERS) {
      out.push(`| ${CACHE_LABELS[cache]} | ${PROTOCOLS[protocol].label} | ${server} | `
        + ['document_ms', 'bundle_ms', 'studies_ms', 'metadata_ms', 'frame_asked_ms', 'frame_ms', 'ttfi_ms']
          .map(key => fmt(med(server, protocol, cache, key))).join(' | ') + ' |');
    }
  }
  out.push('', 'The moment the response of the first such request had been received in full (a cached one counts '
    + 'when the cache answered); "first frame asked": the moment the viewer sent the first request for a frame.', '');
  out.push('### Requests and bytes per load (median)', '');
  out.push('| Cache | Protocol | Server | requests | from cache | MB received | requests until the image | MB until the image |');
  out.push('|---|---|---|---:|---:|---:|---:|---:|');
  for (const [cache, protocol] of loadKinds) {
    for (const server of SERVERS) {
      out.push(`| ${CACHE_LABELS[cache]} | ${PROTOCOLS[protocol].label} | ${server} | ${fmt(med(server, protocol, cache, 'requests'))} | `
        + `${fmt(med(server, protocol, cache, 'from_cache'))} | ${fmt(med(server, protocol, cache, 'bytes') / 1e6, 2)} | `
        + `${fmt(med(server, protocol, cache, 'requests_to_image'))} | ${fmt(med(server, protocol, cache, 'bytes_to_image') / 1e6, 2)} |`);
    }
  }
  out.push('', 'Requests: every http(s) request of the load until the network was quiet for 1 s, workers included. '
    + 'MB received: the encoded bytes Chromium counted (headers and compressed bodies), except for the main scripts '
    + 'of web workers, whose end Chromium reports only to the worker. "Until the image": requests finished before '
    + 'the first image.', '');
  const tls = new Set(results.filter(r => r.tls).map(r => `${r.server}: ${r.tls}`));
  out.push(`TLS as negotiated: ${[...tls].sort().join('; ')}.`);
  const wrongProtocol = results.filter(r => r.protocols.join() !== PROTOCOLS[r.protocol].expect);
  if (wrongProtocol.length) {
    out.push(`Protocol not as intended in ${wrongProtocol.length} loads: `
      + wrongProtocol.map(r => `round ${r.round} ${r.server} ${r.protocol} ${r.cache}: ${r.protocols.join(', ')}`).join('; '));
  }
  const failed = results.filter(r => r.failed.length);
  out.push(failed.length
    ? `Failed requests: ${failed.map(r => `round ${r.round} ${r.server} ${r.protocol} ${r.cache}: ${r.failed.slice(0, 3).join(', ')}`
      + (r.failed.length > 3 ? ` and ${r.failed.length - 3} more` : '')).join('; ')}`
    : 'No request failed (status 400 or more, or a network error other than the viewer\'s own cancellations).');
  const aborted = results.reduce((sum, r) => sum + r.aborted, 0);
  const unsettled = results.filter(r => r.settle_ms === null).length;
  out.push(`Requests the viewer cancelled itself (ERR_ABORTED): ${aborted} in ${results.length} loads. `
    + `Loads whose network did not settle within ${SETTLE_MAX_MS / 1000} s: ${unsettled}. `
    + `Smallest full-viewport variance at the first image: ${fmt(Math.min(...results.map(r => r.variance)), 0)} (threshold ${MIN_VARIANCE}).`);
  out.push('', misses.length ? 'Targets missed:' : 'Every target met.', '', ...misses.map(miss => `- ${miss}`));
  return out.join('\n');
}

/** The gateway's metadata cache over HTTP/2: the study it keeps, and studies opened first after their upload. */
function cacheReport(results) {
  const loads = (server, cache) => results.filter(r => r.server === server && r.protocol === 'h2' && r.cache === cache);
  const out = ['', '### Metadata cache: time to first image over HTTP/2 (ms, median; min-max)', ''];
  out.push('| Load | nginx | gateway | gateway ÷ nginx | per round | first series metadata nginx / gateway | target | met |');
  out.push('|---|---:|---:|---:|---|---:|---|:---:|');
  const misses = [];
  for (const [cache, label, target] of [
    ['cold', 'study kept by the gateway, browser cache cold', null],
    ['warm', 'study kept by the gateway, browser cache warm', 0.6],
    ['profile', 'study kept by the gateway, a user\'s browser: profile kept on disk, third visit', null],
    ['fresh', 'first view after upload (stable, computed ahead), browser cache cold', 0.7]]) {
    const cell = server => {
      const values = loads(server, cache).map(r => r.ttfi_ms);
      return `${fmt(median(values))} (${fmt(Math.min(...values))}-${fmt(Math.max(...values))})`;
    };
    const ratio = median(loads('gateway', cache).map(r => r.ttfi_ms)) / median(loads('nginx', cache).map(r => r.ttfi_ms));
    const perRound = loads('gateway', cache).map(g => {
      const n = loads('nginx', cache).find(r => r.round === g.round);
      return n ? fmt(g.ttfi_ms / n.ttfi_ms, 2) : 'n/a';
    });
    const metadata = server => fmt(median(loads(server, cache).map(r => r.metadata_ms)));
    const met = target === null ? '–' : ratio <= target ? 'yes' : 'no';
    if (met === 'no') misses.push(`${label}: the gateway takes ${fmt(ratio, 2)} × nginx's time (target ≤ ${target} ×)`);
    out.push(`| ${label} | ${cell('nginx')} | ${cell('gateway')} | ${fmt(ratio, 2)} | ${perRound.join(' / ')} | `
      + `${metadata('nginx')} / ${metadata('gateway')} | ${target === null ? '–' : `≤ ${target} ×`} | ${met} |`);
  }
  out.push('', 'First series metadata: ms from navigation start until the first series metadata response had been '
    + 'received in full. Fresh studies: copies of the MR study with new UIDs, one per server and round, opened once.', '');
  out.push(misses.length ? 'Cache targets missed:' : 'Every cache target met.', '', ...misses.map(miss => `- ${miss}`));
  return out.join('\n');
}

const fresh = process.env.TTFI_FRESH ? JSON.parse(process.env.TTFI_FRESH) : null;
const spki = `--ignore-certificate-errors-spki-list=${process.env.TTFI_SPKI}`;
const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', spki];
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const browsers = {
  h2: await chromium.launch({ executablePath, args }),
  h1: await chromium.launch({ executablePath, args: [...args, '--disable-http2'] }),
};
try {
  const variants = Object.keys(PROTOCOLS).flatMap(protocol => SERVERS.map(server => [server, protocol]));
  log('Warm-up (not recorded): every server and protocol once');
  for (const [server, protocol] of variants) {
    await measure(browsers, 0, server, protocol);
  }
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    log(`Round ${round} of ${rounds}`);
    // The order rotates each round, so a slow moment of the machine hits every variant alike.
    for (let i = 0; i < variants.length; i++) {
      const [server, protocol] = variants[(i + round - 1) % variants.length];
      results.push(...(await measure(browsers, round, server, protocol)));
    }
    const pair = round % 2 ? ['gateway', 'nginx'] : ['nginx', 'gateway'];
    for (const server of pair) {
      results.push(...(await measureProfile(round, server)));
    }
    if (fresh) {
      for (const server of pair) {
        results.push(...(await measure(browsers, round, server, 'h2', fresh[server][round - 1])));
      }
    }
  }
  process.stdout.write(report(results) + '\n');
  if (fresh) {
    process.stdout.write(cacheReport(results) + '\n');
  }
} finally {
  await Promise.all(Object.values(browsers).map(browser => browser.close()));
}
