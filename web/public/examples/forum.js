// The example forum's own script (a host page script, not part of Pathlight). It shows the three
// things a host does with the widget: choose its mode, hear which suggestion the reader picked
// (pathlight-select), and report what the reader did on the page (recordActivity).
const params = new URLSearchParams(location.search);
const widgets = () => document.querySelectorAll('pathlight-recs');

// Demo switches: ?mode=isolated and ?lang=zh-CN apply to both widgets.
const mode = params.get('mode');
const lang = params.get('lang');
for (const el of widgets()) {
  if (mode) el.setAttribute('mode', mode);
  if (lang) el.setAttribute('lang', lang);
}
if (lang) document.documentElement.lang = lang;
document.getElementById(mode === 'isolated' ? 'mode-isolated' : 'mode-inline')?.setAttribute('aria-current', 'page');

// A real forum would open the course or mentor page here; the widget only says which one.
document.addEventListener('pathlight-select', (event) => {
  const { id, kind } = event.detail;
  document.getElementById('picked').textContent = `The reader picked ${kind} "${id}".`;
});
/** @type {{code: string, message: string} | null} */
let lastError = null;
document.addEventListener('pathlight-error', (event) => {
  // The widget already shows a polite fallback and logs the cause; a host could hide the box.
  lastError = event.detail;
  console.info('Pathlight widget:', event.detail.code);
});

// If the widget's script cannot load (a wrong URL, the server is down, a policy blocks it), the
// element is never defined and shows the host's own text inside it: say why there. Module
// scripts have all run by the window's load event.
const widgetScript = document.querySelector('script[src$="pathlight-widget.js"]');
const widgetUrl = widgetScript ? new URL(widgetScript.getAttribute('src'), document.baseURI).href : 'the widget script';
const notLoaded = `The learning suggestions could not load: ${widgetUrl} did not run (not published there, blocked, or offline).`;
window.addEventListener('load', () => {
  if (customElements.get('pathlight-recs')) return;
  for (const el of widgets()) {
    const text = el.querySelector('.widget-fallback');
    if (text) text.textContent = notLoaded;
  }
});

// The reader finished the tutorial in this thread: tell the widget (it updates the on-device
// profile, and both widgets move on from Docker basics). The note says what happened, or what
// went wrong.
document.getElementById('done').addEventListener('click', async () => {
  const note = document.getElementById('done-note');
  if (!customElements.get('pathlight-recs')) {
    note.textContent = `Could not note it. ${notLoaded}`;
    return;
  }
  note.textContent = 'Noting…';
  try {
    await document.getElementById('next').recordActivity({ type: 'complete', concept: 'docker' });
    note.textContent = 'Noted on your device.';
  } catch (e) {
    const why = e?.code === 'engine_load_failed' || lastError?.code === 'engine_load_failed'
      ? 'the suggestions engine could not load in this browser'
      : e?.message || String(e);
    note.textContent = `Could not note it: ${why} (${e?.code ?? 'error'}).`;
  }
});
