// <pathlight-recs> embedded in host pages from another origin than the widget and its bundle.
// The widget, engine and demo bundle come from the app's server (WIDGET, :8080); host pages come
// from a second server (HOST, :8081, playwright.config.js) under the name "localhost", so they are
// a different origin (and site). Each test opens examples/blank.html there and writes its host
// page into it: a real document from a real server, with the test's own Content Security Policy.
// OTHER (127.0.0.1:8081) is a third origin, for a hostile frame. Needs `npm run build` first.
import { test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  expect, WIDGET, HOST, OTHER, SCRIPT, BUNDLE, MANIFEST, CSP_INLINE, CSP_ISOLATED, openHost, openForumAcrossOrigins, addScript, events, inside, fallbackOf, ready, shownIds, widgetTag, catalog, manifestPin, collectConsole,
} from './widget-helpers.js';

test.describe.configure({ mode: 'parallel' });

// ---------------------------------------------------------------------------------------------

test('example forum page: both widgets render across origins under its strict CSP, and a reader action moves both on', async ({ page }) => {
  const lines = collectConsole(page);
  await openForumAcrossOrigins(page);
  const next = await ready(page, 'next');
  const mentors = await ready(page, 'mentors');
  await expect(next).toHaveCount(4);
  await expect(mentors).toHaveCount(2);
  await expect(page.locator('#next .title')).toHaveText('Next steps: Docker and containers');
  for (const kind of await mentors.evaluateAll((n) => n.map((e) => e.dataset.kind))) expect(kind).toBe('mentor');
  // Each matched mentor says the offering the engine would book (group mentoring: per seat).
  for (const meta of await mentors.locator('.meta').allTextContents())
    expect(meta).toMatch(/^(One-to-one · \$[\d,.]+ per session|Group · \d+ of \d+ seats open · \$[\d,.]+ per seat)/);
  await expect(page.locator('#next .demo')).toHaveText('Demo data');
  const { violations } = await new AxeBuilder({ page }).include('pathlight-recs').analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  const before = { next: await shownIds(page, 'next'), mentors: await shownIds(page, 'mentors') };

  await page.getByRole('button', { name: 'I followed this tutorial' }).click();
  await expect(page.locator('#done-note')).toHaveText('Noted on your device.');
  await expect.poll(() => shownIds(page, 'next')).not.toEqual(before.next);
  await expect.poll(() => shownIds(page, 'mentors')).not.toEqual(before.mentors);

  const picked = await next.first().getAttribute('data-id');
  await next.first().locator('.pick').click();
  await expect(page.locator('#picked')).toContainText(picked);
  expect(lines.filter((l) => l.type === 'error' || l.type === 'pageerror'), JSON.stringify(lines)).toEqual([]);
});

test('example forum page in isolated mode renders in frames from the widget origin', async ({ page }) => {
  const lines = collectConsole(page);
  await openForumAcrossOrigins(page, '?mode=isolated');
  await expect(await ready(page, 'next', 'isolated')).toHaveCount(4);
  await expect(await ready(page, 'mentors', 'isolated')).toHaveCount(2);
  expect(await page.locator('#next iframe').getAttribute('sandbox')).toBe('allow-scripts allow-same-origin');
  expect(new URL(await page.locator('#next iframe').getAttribute('src')).origin).toBe(WIDGET);
  const before = await shownIds(page, 'mentors', 'isolated');
  await page.getByRole('button', { name: 'I followed this tutorial' }).click();
  await expect(page.locator('#done-note')).toHaveText('Noted on your device.');
  await expect.poll(() => shownIds(page, 'mentors', 'isolated')).not.toEqual(before);
  expect(lines.filter((l) => l.type === 'error' || l.type === 'pageerror'), JSON.stringify(lines)).toEqual([]);
});

for (const mode of ['inline', 'isolated']) {
  test(`${mode}: defines the element and adds no other global to window`, async ({ page }) => {
    await openHost(page, { script: false, body: widgetTag('a', { topic: 'docker', mode }) });
    const before = await page.evaluate(() => Object.getOwnPropertyNames(window));
    await addScript(page);
    await ready(page, 'a', mode);
    const after = await page.evaluate(() => Object.getOwnPropertyNames(window));
    expect(after.filter((k) => !before.includes(k))).toEqual([]);
    expect(await page.evaluate(() => typeof customElements.get('pathlight-recs'))).toBe('function');
  });
}

test('strict CSP: inline mode runs with script-src + connect-src + wasm-unsafe-eval; isolated needs only script-src + frame-src', async ({ page }) => {
  const lines = collectConsole(page);
  // The host's own inline script is refused: the policy is really in force.
  await openHost(page, {
    csp: CSP_INLINE,
    body: `<div id="mark"></div><script>document.getElementById('mark').textContent = 'inline ran'</script>`
      + widgetTag('a', { topic: 'docker' }) + widgetTag('c', { topic: 'docker', mode: 'isolated' }),
  });
  await expect(await ready(page, 'a')).toHaveCount(5);
  await expect(page.locator('#mark')).toHaveText('');
  expect(lines.some((l) => /Content Security Policy/.test(l.text) && /inline/.test(l.text))).toBe(true);
  // This policy has no frame-src for the widget: isolated mode reports it and falls back.
  await expect(fallbackOf(page, 'c')).toHaveText('Suggestions are not available right now.');
  expect((await events(page, 'pathlight-error')).filter((e) => e.target === 'c').map((e) => e.detail.code)).toEqual(['engine_load_failed']);

  // Without 'wasm-unsafe-eval' and connect-src, inline mode cannot run the engine in the page:
  // it says so politely; isolated mode, whose frame has its own policy, still works.
  const page2 = await page.context().newPage();
  await openHost(page2, {
    csp: CSP_ISOLATED,
    body: widgetTag('a', { topic: 'docker', mode: 'isolated' }) + widgetTag('b', { topic: 'docker' }),
  });
  await expect(await ready(page2, 'a', 'isolated')).toHaveCount(5);
  await expect(fallbackOf(page2, 'b')).toHaveText('Suggestions are not available right now.');
  expect((await events(page2, 'pathlight-error')).filter((e) => e.target === 'b').length).toBeGreaterThan(0);
});

test('host CSS (* { all: unset }, huge fonts) does not break the widget', async ({ page }) => {
  await openHost(page, {
    head: `<style>
      * { all: unset !important; }
      html { font-size: 80px !important; }
      body { font: 64px/3 serif !important; color: red !important; letter-spacing: 12px !important; }
      li, button, section { display: inline !important; }
      #box { display: block !important; width: 360px !important; }
    </style>`,
    body: `<div id="box">${widgetTag('a', { topic: 'docker', limit: 3 })}</div>`,
  });
  const items = await ready(page, 'a');
  await expect(items).toHaveCount(3);
  const style = await page.locator('#a .item-title').first().evaluate((n) => {
    const s = getComputedStyle(n);
    return { fontSize: s.fontSize, color: s.color, letterSpacing: s.letterSpacing };
  });
  expect(style.fontSize).toBe('15px');
  expect(style.color).not.toBe('rgb(255, 0, 0)');
  expect(style.letterSpacing).toBe('normal');
  // Cards stack vertically inside the host's 360 px box.
  const boxes = await items.evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON()));
  for (let i = 1; i < boxes.length; i += 1) expect(boxes[i].top).toBeGreaterThanOrEqual(boxes[i - 1].bottom);
  for (const b of boxes) {
    expect(b.right).toBeLessThanOrEqual(360);
    expect(b.width).toBeGreaterThan(300);
  }
  await items.first().locator('.pick').click();
  await expect.poll(async () => (await events(page, 'pathlight-select')).length).toBe(1);
});

test('theming: custom properties, ::part, and light/dark by attribute or preference', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openHost(page, {
    head: `<style>
      #a { --pathlight-accent: rgb(200, 0, 0); --pathlight-radius: 2px; }
      #a::part(item) { border-color: rgb(0, 128, 0); }
      #b { --pathlight-bg: rgb(1, 2, 3); }
    </style>`,
    body: widgetTag('a', { topic: 'docker', limit: 2 }) + widgetTag('b', { topic: 'docker', limit: 2, theme: 'light', mode: 'isolated' })
      + widgetTag('c', { topic: 'docker', limit: 2, theme: 'light' }),
  });
  await ready(page, 'a');
  const a = await page.locator('#a').evaluate((el) => {
    const root = el.shadowRoot.querySelector('.root');
    return {
      kind: getComputedStyle(el.shadowRoot.querySelector('.kind')).color,
      border: getComputedStyle(el.shadowRoot.querySelector('.item')).borderTopColor,
      bg: getComputedStyle(root).backgroundColor,
    };
  });
  expect(a.kind).toBe('rgb(200, 0, 0)');
  expect(a.border).toBe('rgb(0, 128, 0)');
  expect(a.bg).toBe('rgb(22, 25, 31)'); // dark default, following prefers-color-scheme
  await ready(page, 'c');
  expect(await page.locator('#c .root').evaluate((n) => getComputedStyle(n).backgroundColor)).toBe('rgb(255, 255, 255)');
  // Isolated: custom properties are forwarded into the frame.
  await ready(page, 'b', 'isolated');
  expect(await page.frameLocator('#b iframe').locator('.root').evaluate((n) => getComputedStyle(n).backgroundColor)).toBe('rgb(1, 2, 3)');
  // theme="dark" beats a light preference.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.locator('#c').evaluate((el) => el.setAttribute('theme', 'dark'));
  await expect.poll(() => page.locator('#c .root').evaluate((n) => getComputedStyle(n).backgroundColor)).toBe('rgb(22, 25, 31)');
});

test('responsive at 280 px and usable from the keyboard alone', async ({ page }) => {
  await page.setViewportSize({ width: 280, height: 900 });
  await openHost(page, {
    head: '<style>body { margin: 0 }</style>',
    body: `<button id="before">host button</button>${widgetTag('a', { topic: 'kubernetes', limit: 4 })}${widgetTag('b', { topic: 'kubernetes', limit: 2, mode: 'isolated' })}`,
  });
  const items = await ready(page, 'a');
  await ready(page, 'b', 'isolated');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(280);
  for (const b of await items.evaluateAll((n) => n.map((e) => e.getBoundingClientRect().right))) expect(b).toBeLessThanOrEqual(280);
  const frame = page.frameLocator('#b iframe');
  expect(await frame.locator('html').evaluate((n) => n.scrollWidth - n.clientWidth)).toBeLessThanOrEqual(0);

  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    const inner = el?.shadowRoot?.activeElement;
    return inner ? { host: el.id, part: inner.getAttribute('part'), id: inner.closest('li')?.dataset.id } : { host: el?.id };
  });
  await page.locator('#before').focus();
  await page.keyboard.press('Tab');
  const ids = await shownIds(page, 'a');
  expect(await focused()).toEqual({ host: 'a', part: 'item-button', id: ids[0] });
  await page.keyboard.press('ArrowDown');
  expect(await focused()).toEqual({ host: 'a', part: 'item-button', id: ids[1] });
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await events(page, 'pathlight-select')).map((e) => e.detail.id)).toEqual([ids[1]]);
  expect((await events(page, 'pathlight-select'))[0].detail.kind).toMatch(/^(course|ebook|consultation|membership|mentor)$/);
  // Tab reaches the dismiss button; Enter removes the item and keeps focus in the list.
  await page.locator('#a .pick').first().focus();
  await page.keyboard.press('Tab');
  expect((await focused()).part).toBe('dismiss');
  const dismissed = (await focused()).id;
  await page.keyboard.press('Enter');
  await expect.poll(() => shownIds(page, 'a')).not.toContain(dismissed);
  expect((await focused()).part).toBe('item-button');
});

test('Simplified Chinese by attribute, or inherited from the host page', async ({ page }) => {
  await openHost(page, {
    body: widgetTag('a', { topic: 'docker', kinds: 'course,mentor', limit: 3, lang: 'zh-CN' })
      + `<div lang="zh-Hans">${widgetTag('b', { topic: '机器学习', limit: 2, mode: 'isolated' })}</div>`,
  });
  await ready(page, 'a');
  await expect(page.locator('#a .title')).toHaveText('下一步：Docker 容器');
  await expect(page.locator('#a .kind').first()).toHaveText(/^(课程|导师)$/);
  await expect(page.locator('#a .footer')).toContainText('在你的设备上');
  await ready(page, 'b', 'isolated');
  await expect(page.frameLocator('#b iframe').locator('.title')).toHaveText('下一步：机器学习');
});

test('two inline widgets: independent settings and failures, linked by the reader\'s actions', async ({ page }) => {
  await openHost(page, {
    body: widgetTag('a', { topic: 'docker', kinds: 'course', limit: 3 })
      + widgetTag('b', { topic: 'docker', kinds: 'course,ebook', limit: 6 })
      + widgetTag('c', { bundle: `${WIDGET}/bundles/no-such-bundle/`, topic: 'docker' }),
  });
  const a = await shownIds(page, 'a');
  const b = await shownIds(page, 'b');
  expect(a).toHaveLength(3);
  expect(b).toHaveLength(6);
  await expect(fallbackOf(page, 'c')).toBeVisible();
  const shared = a.find((id) => b.includes(id));
  expect(shared, 'the two lists share an item').toBeTruthy();

  // Dismissed in A → gone from B as well.
  await page.locator(`#a li[data-id="${shared}"] .dismiss`).click();
  await expect.poll(() => shownIds(page, 'a')).not.toContain(shared);
  await expect.poll(() => shownIds(page, 'b')).not.toContain(shared);
  // The host reports an action to B → A follows.
  const aBefore = await shownIds(page, 'a');
  await page.locator('#b').evaluate((el) => el.recordActivity({ type: 'complete', concept: 'docker' }));
  await expect.poll(() => shownIds(page, 'a')).not.toEqual(aBefore);
  // ... also by event.
  const bBefore = await shownIds(page, 'b');
  await page.locator('#a').evaluate((el) => el.dispatchEvent(new CustomEvent('pathlight-activity', { detail: { type: 'complete', concept: 'kubernetes' } })));
  await expect.poll(() => shownIds(page, 'b')).not.toEqual(bBefore);

  // Inline mode keeps the profile in the host origin's IndexedDB: it survives a reload.
  await openHost(page, { body: widgetTag('a', { topic: 'docker', kinds: 'course', limit: 3 }) });
  expect(await shownIds(page, 'a')).not.toContain(shared);
  expect(await shownIds(page, 'a')).not.toEqual(a);
});

test('two isolated widgets: linked through the frame origin, each with its own settings', async ({ page }) => {
  await openHost(page, {
    csp: CSP_ISOLATED,
    body: widgetTag('a', { topic: 'docker', kinds: 'course', limit: 3, mode: 'isolated' })
      + widgetTag('b', { topic: 'docker', kinds: 'course,ebook', limit: 6, mode: 'isolated' }),
  });
  const a = await shownIds(page, 'a', 'isolated');
  const b = await shownIds(page, 'b', 'isolated');
  expect(a).toHaveLength(3);
  expect(b).toHaveLength(6);
  const shared = a.find((id) => b.includes(id));
  expect(shared).toBeTruthy();
  await page.frameLocator('#a iframe').locator(`li[data-id="${shared}"] .dismiss`).click();
  await expect.poll(() => shownIds(page, 'b', 'isolated')).not.toContain(shared);
  const before = await shownIds(page, 'a', 'isolated');
  await page.locator('#b').evaluate((el) => el.recordActivity({ type: 'complete', concept: 'docker' }));
  await expect.poll(() => shownIds(page, 'a', 'isolated')).not.toEqual(before);
});

test('isolated: the host page cannot read the reader\'s history, and receives none of it', async ({ page }) => {
  // A curious host wraps MessagePort before the widget loads, to see everything sent over ports.
  await page.addInitScript(() => {
    const desc = Object.getOwnPropertyDescriptor(MessagePort.prototype, 'onmessage');
    Object.defineProperty(MessagePort.prototype, 'onmessage', {
      configurable: true,
      get() { return desc.get.call(this); },
      set(fn) {
        desc.set.call(this, (event) => {
          const root = document.documentElement;
          root.dataset.portlog = `${root.dataset.portlog ?? ''}${JSON.stringify(event.data)}\n`;
          return fn.call(this, event);
        });
      },
    });
  });
  await openHost(page, { csp: CSP_ISOLATED, script: false, body: widgetTag('a', { topic: 'docker', limit: 5, mode: 'isolated' }) });
  await page.evaluate(() => addEventListener('message', (e) => {
    document.documentElement.dataset.windowlog = `${document.documentElement.dataset.windowlog ?? ''}${JSON.stringify(e.data)}\n`;
  }));
  await addScript(page);
  const frame = page.frameLocator('#a iframe');
  const shown = await shownIds(page, 'a', 'isolated');
  const titles = await frame.locator('.item-title').allInnerTexts();
  await frame.locator('li.item').nth(1).locator('.dismiss').click();       // the reader dismisses one
  await expect.poll(() => shownIds(page, 'a', 'isolated')).not.toContain(shown[1]);
  await page.locator('#a').evaluate((el) => el.recordActivity({ type: 'complete', concept: 'docker' }));
  const now = await shownIds(page, 'a', 'isolated');
  await frame.locator('li.item').first().locator('.pick').click();        // ... and picks one
  await expect.poll(async () => (await events(page, 'pathlight-select')).length).toBe(1);
  const selected = now[0];

  const probe = await page.evaluate(async () => {
    const iframe = document.getElementById('a').shadowRoot.querySelector('iframe');
    let documentReadable = true;
    try {
      void iframe.contentWindow.document.body;
    } catch {
      documentReadable = false;
    }
    let storageReadable = true;
    try {
      void iframe.contentWindow.indexedDB;
    } catch {
      storageReadable = false;
    }
    return {
      contentDocument: iframe.contentDocument === null ? null : 'readable',
      documentReadable,
      storageReadable,
      databases: (await indexedDB.databases()).map((d) => d.name),
      localStorage: localStorage.length,
      portlog: document.documentElement.dataset.portlog ?? '',
      windowlog: document.documentElement.dataset.windowlog ?? '',
    };
  });
  expect(probe.contentDocument).toBeNull();
  expect(probe.documentReadable).toBe(false);
  expect(probe.storageReadable).toBe(false);
  expect(probe.databases).toEqual([]);
  expect(probe.localStorage).toBe(0);
  expect(probe.windowlog).toBe('');               // the frame never posts to the host window
  expect(probe.portlog).toContain('"type":"select"');
  // Over the port: sizes, the one pick, acknowledgements — no other item the reader saw or dismissed.
  const secrets = [...new Set([...shown, ...now])].filter((id) => id !== selected).concat(titles);
  for (const secret of secrets) expect(probe.portlog).not.toContain(secret);
  for (const line of probe.portlog.trim().split('\n')) {
    expect(['hello', 'size', 'select', 'ack', 'error']).toContain(JSON.parse(line).type);
  }
});

test('isolated: postMessage from another origin is ignored, in both directions', async ({ page }) => {
  await openHost(page, {
    csp: `default-src 'none'; script-src ${WIDGET}; frame-src ${WIDGET} ${OTHER}; img-src 'self' data:`,
    script: false,
    body: `<iframe id="evil" src="${OTHER}/examples/blank.html"></iframe>`,
  });
  await expect.poll(() => page.frames().some((f) => f.url().startsWith(OTHER))).toBe(true);
  const evilFrame = page.frames().find((f) => f.url().startsWith(OTHER));
  await evilFrame.waitForLoadState();
  // From before the widget exists, a frame of another origin keeps trying: to connect to every
  // frame on the page, to send it activity and configuration, and to fake the widget's messages
  // to the host. (It dismisses whatever id the test writes into its body's data-target.)
  await evilFrame.evaluate((bundle) => {
    const got = [];
    setInterval(() => {
      const item = document.body.dataset.target ?? 'none';
      for (let i = 0; i < parent.frames.length; i += 1) {
        const channel = new MessageChannel();
        channel.port1.onmessage = (e) => { got.push(e.data); document.body.dataset.got = JSON.stringify(got); };
        try {
          parent.frames[i].postMessage({ pathlight: 'connect', version: 1 }, '*', [channel.port2]);
          parent.frames[i].postMessage({ type: 'activity', seq: 1, activity: { type: 'dismiss', item } }, '*');
          parent.frames[i].postMessage({ type: 'config', config: { bundle, topic: 'calculus', kinds: ['ebook'], limit: 1 } }, '*');
        } catch { /* keep trying */ }
      }
      parent.postMessage({ type: 'select', id: item, kind: 'course' }, '*');
      parent.postMessage({ type: 'size', height: 9999 }, '*');
      parent.postMessage({ type: 'hello' }, '*');
    }, 5);
  }, MANIFEST);

  await page.evaluate((tag) => document.body.insertAdjacentHTML('beforeend', tag), widgetTag('a', { topic: 'docker', kinds: 'course', limit: 5, mode: 'isolated' }));
  await addScript(page);
  const [target] = await shownIds(page, 'a', 'isolated');
  await evilFrame.evaluate((id) => { document.body.dataset.target = id; }, target);
  await page.waitForTimeout(1000);
  expect(await shownIds(page, 'a', 'isolated'), 'the spoofed dismiss was ignored').toContain(target);
  await expect(page.frameLocator('#a iframe').locator('.title')).toHaveText('Next steps: Docker and containers');
  expect(await evilFrame.evaluate(() => document.body.dataset.got ?? ''), 'the frame never answered the other origin').toBe('');
  expect(await events(page, 'pathlight-select'), 'no spoofed select reached the host').toEqual([]);
  expect(parseInt(await page.locator('#a iframe').evaluate((f) => f.style.height), 10)).toBeLessThan(2000);

  // The same dismiss from the host, through the widget's API, does work.
  await page.locator('#a').evaluate((el, item) => el.recordActivity({ type: 'dismiss', item }), target);
  await expect.poll(() => shownIds(page, 'a', 'isolated')).not.toContain(target);
});

for (const mode of ['inline', 'isolated']) {
  test(`${mode}: no request carries the reader's data`, async ({ page, request }) => {
    const marker = `pl-marker-${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
    const { items } = await catalog(request);
    const liked = items.find((it) => it.teaches.includes('kubernetes'));
    const requests = [];
    let acting = false;
    page.context().on('request', (r) => requests.push({ r, acting }));
    await page.goto(`${HOST}/examples/blank.html`);
    if (mode === 'inline') {
      // The reader's stored history (inline mode keeps it in the host origin's IndexedDB) holds a
      // unique marker; the widget loads it into the engine.
      await page.evaluate(async ({ key, profile }) => {
        const db = await new Promise((resolve, reject) => {
          const open = indexedDB.open('pathlight-widget', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('profiles');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        await new Promise((resolve, reject) => {
          const tx = db.transaction('profiles', 'readwrite');
          tx.objectStore('profiles').put(profile, key);
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      }, {
        key: MANIFEST,
        profile: {
          format: 'pathlight-profile', version: 1, goals: [], known: [],
          events: [{ type: 'view', item: marker, t: Date.now() / 1000 }, { type: 'enroll', item: liked.id, t: Date.now() / 1000 }],
        },
      });
    }
    await openHost(page, { body: widgetTag('a', { topic: 'docker', mode }) + widgetTag('b', { topic: 'python', mode }) });
    await ready(page, 'a', mode);
    await ready(page, 'b', mode);
    acting = true;
    const w = inside(page, 'a', mode);
    const titles = await w.locator('.item-title').allInnerTexts();
    const ids = await shownIds(page, 'a', mode);
    await w.locator('li.item').nth(1).locator('.dismiss').click();
    await expect.poll(() => shownIds(page, 'a', mode)).not.toContain(ids[1]);
    await w.locator('li.item').first().locator('.pick').click();
    await page.locator('#b').evaluate((el) => el.recordActivity({ type: 'complete', concept: 'python-basics' }));
    await page.waitForTimeout(500);

    if (mode === 'inline') {
      // The seeded history (the widget's old whole-profile store) was read once into the learner
      // store shared with the app — one record per event, with ids — and the old store is gone.
      const saved = await page.evaluate(async (scope) => {
        const db = await new Promise((resolve) => { const o = indexedDB.open('pathlight'); o.onsuccess = () => resolve(o.result); });
        const records = await new Promise((resolve) => { const g = db.transaction('events').objectStore('events').index('scope').getAll(scope); g.onsuccess = () => resolve(g.result); });
        db.close();
        return { records, databases: (await indexedDB.databases()).map((d) => d.name) };
      }, `widget:${MANIFEST}`);
      expect(saved.databases).not.toContain('pathlight-widget');
      expect(saved.records.find((r) => r.item === marker && r.type === 'view')?.id).toMatch(/^w1-/);
      expect(saved.records.some((r) => r.type === 'dismiss' && r.item === ids[1] && !r.deleted)).toBe(true);
      for (const r of saved.records) expect(typeof r.id).toBe('string');
    }
    const secrets = [marker, liked.id, ids[1], titles[1], 'know_concept', 'dismiss'];
    expect(requests.length).toBeGreaterThan(5);
    for (const { r } of requests) {
      const url = new URL(r.url());
      const where = `${r.method()} ${r.url()}`;
      expect(r.method(), where).toBe('GET');
      expect([WIDGET, HOST], where).toContain(url.origin);
      expect(url.search, where).toBe('');
      expect(url.pathname, where).toMatch(/^\/[\w./-]*\.[a-z0-9]+$/i);
      expect(r.postData(), where).toBeNull();
      const haystack = `${decodeURIComponent(r.url())} ${JSON.stringify(await r.allHeaders())}`.toLowerCase();
      for (const secret of secrets) expect(haystack, where).not.toContain(secret.toLowerCase());
    }
    // Acting caused no traffic at all.
    expect(requests.filter((x) => x.acting && !/favicon/.test(x.r.url())).map((x) => x.r.url())).toEqual([]);
  });
}

test('bad input: a polite fallback (or nothing), a console message and an event; the host page carries on', async ({ page, request }) => {
  const lines = collectConsole(page);
  const wrongPin = (await manifestPin(request)).replace(/^sha256-./, (m) => (m.endsWith('A') ? 'sha256-B' : 'sha256-A'));
  await openHost(page, {
    body: `<button id="host-button">0</button>
      ${widgetTag('wrong-url', { bundle: `${WIDGET}/bundles/missing/` })}
      ${widgetTag('wrong-pin', { integrity: wrongPin })}
      ${widgetTag('bad-pin', { integrity: 'md5-abc' })}
      ${widgetTag('no-bundle', { bundle: '' })}
      ${widgetTag('unknown-topic', { topic: 'underwater basket weaving' })}
      ${widgetTag('garbage', { limit: 'lots', kinds: 'spaceships', theme: 'neon', fallback: 'maybe', lang: '!!' })}
      ${widgetTag('silent', { bundle: `${WIDGET}/bundles/missing/`, fallback: 'none' })}
      ${widgetTag('isolated-wrong-url', { bundle: `${WIDGET}/bundles/missing/`, mode: 'isolated' })}
      ${widgetTag('isolated-other-origin', { bundle: `${HOST}/bundles/demo/`, mode: 'isolated' })}`,
  });
  await page.evaluate(() => {
    const b = document.getElementById('host-button');
    b.addEventListener('click', () => { b.textContent = String(Number(b.textContent) + 1); });
  });
  const fallback = 'Suggestions are not available right now.';
  const codes = async (id) => (await events(page, 'pathlight-error')).filter((e) => e.target === id).map((e) => e.detail.code);

  for (const [id, code] of [['wrong-url', 'network_error'], ['wrong-pin', 'integrity_mismatch'], ['bad-pin', 'invalid_argument'],
    ['no-bundle', 'invalid_argument'], ['unknown-topic', 'unknown_id'], ['silent', 'network_error']]) {
    await expect.poll(() => codes(id), id).toContain(code);
  }
  for (const id of ['wrong-url', 'wrong-pin', 'bad-pin', 'no-bundle']) {
    await expect(fallbackOf(page, id)).toHaveText(fallback);
  }
  // A topic the catalog does not know is not a passing failure: it says so.
  await expect(fallbackOf(page, 'unknown-topic')).toHaveText('Nothing in this catalog matches this topic.');
  // fallback="none": nothing at all.
  expect(await page.locator('#silent').evaluate((n) => n.getBoundingClientRect().height)).toBe(0);
  // Garbage attributes: each reported, then sensible defaults.
  await expect.poll(async () => (await codes('garbage')).length).toBe(5);
  expect(new Set(await codes('garbage'))).toEqual(new Set(['invalid_argument']));
  await expect(await ready(page, 'garbage')).toHaveCount(5);
  // Isolated mode reports the same way, from inside its frame.
  await expect.poll(() => codes('isolated-wrong-url')).toContain('network_error');
  await expect(fallbackOf(page, 'isolated-wrong-url', 'isolated')).toHaveText(fallback);
  await expect.poll(() => codes('isolated-other-origin')).toContain('invalid_argument');

  // A bad activity from the host: a rejected promise with a code, and an event.
  const rejected = await page.locator('#garbage').evaluate((el) => el.recordActivity({ type: 'teleport', concept: 'docker' }).then(() => 'resolved', (e) => e.code));
  expect(rejected).toBe('invalid_argument');
  const unknownItem = await page.locator('#garbage').evaluate((el) => el.recordActivity({ type: 'view', item: 'no-such-item' }).then(() => 'resolved', (e) => e.code));
  expect(unknownItem).toBe('unknown_id');

  // The host page is unaffected: its own controls work and nothing was thrown at it.
  await page.locator('#host-button').click();
  await expect(page.locator('#host-button')).toHaveText('1');
  expect(lines.filter((l) => l.type === 'pageerror')).toEqual([]);
  for (const code of ['network_error', 'integrity_mismatch', 'unknown_id', 'invalid_argument']) {
    expect(lines.some((l) => l.text.includes(`[pathlight-recs] ${code}`)), code).toBe(true);
  }
});

test('each card prints its price per the unit the engine gives its kind', async ({ page, request }) => {
  const { items } = await catalog(request);
  const byId = new Map(items.map((i) => [i.id, i]));
  await openHost(page, { body: widgetTag('c', { kinds: 'consultation', limit: 5 }) + widgetTag('m', { kinds: 'membership', limit: 5 }) });
  // The units as docs/csv-schema.md states them: per hour (a consultation), per month (a membership).
  for (const [id, unit] of [['c', '/h'], ['m', '/mo']]) {
    const cards = await (await ready(page, id)).evaluateAll((nodes) => nodes.map((n) => ({ id: n.dataset.id, meta: n.querySelector('.meta')?.textContent ?? '' })));
    expect(cards.length, `${id}: cards`).toBeGreaterThan(0);
    for (const c of cards) {
      const price = byId.get(c.id).price;
      expect(c.meta, `${c.id}`).toMatch(new RegExp(`^\\$${price.toFixed(price % 1 ? 2 : 0)}${unit}(?: ·|$)`));
    }
  }
});
