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
document.addEventListener('pathlight-error', (event) => {
  // The widget already shows a polite fallback and logs the cause; a host could hide the box.
  console.info('Pathlight widget:', event.detail.code);
});

// The reader finished the tutorial in this thread: tell the widget (it updates the on-device
// profile, and both widgets move on from Docker basics).
document.getElementById('done').addEventListener('click', async () => {
  const note = document.getElementById('done-note');
  await customElements.whenDefined('pathlight-recs');
  try {
    await document.getElementById('next').recordActivity({ type: 'complete', concept: 'docker' });
    note.textContent = 'Noted on your device.';
  } catch (e) {
    note.textContent = `Could not note it (${e.code}).`;
  }
});
