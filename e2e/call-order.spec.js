// pathlight.d.ts, `Pathlight`: session calls run in the order they are made, so a page may send
// addEvent and recommend() together (one round trip to the engine's Worker instead of two; the
// app's act() and the benchmark's click do). Checked here through the real Worker, on the demo
// bundle: the list asked for together with an event is the list asked for after awaiting it, and
// a refused call in between rejects alone; calls still in flight when the instance is deleted are
// rejected, not left waiting.
import { test, expect } from '@playwright/test';

test('session calls sent together run in order in the Worker; a refused one rejects alone', async ({ page }) => {
  await page.goto('/examples/blank.html');
  const out = await page.evaluate(async () => {
    const { createPathlight } = await import(new URL('/engine/pathlight.js', location.origin).href);
    const open = () => createPathlight({ bundleUrl: '/bundles/demo/manifest.json', worker: true });
    const [awaited, together] = await Promise.all([open(), open()]);
    const items = await awaited.items();
    // A fixed time, so that both sessions hold the same event.
    const event = { type: 'enroll', item: items.find((it) => it.kind === 'course').id, t: 1.7e9 };
    const before = await awaited.recommend({ k: 10 });
    await awaited.addEvent(event);
    const after = await awaited.recommend({ k: 10 });
    const [added, sent] = await Promise.all([together.addEvent(event), together.recommend({ k: 10 })]);
    const [refused, still] = await Promise.allSettled([together.addEvent({ type: 'enroll', item: 'no-such-item', t: 1.7e9 }),
      together.recommend({ k: 10 })]);
    const ids = (r) => r.items.map((x) => x.id);
    const result = { event, before: ids(before), after, added, sent, refused: { status: refused.status, code: refused.reason?.code },
      still: still.status === 'fulfilled' ? still.value : still.reason?.message,
      worker: performance.getEntriesByType('resource').some((e) => e.name.endsWith('/engine/worker.js')) };
    awaited.delete();
    // Deleted with calls in flight: each is answered (rejected), none is left waiting.
    const inFlight = Promise.allSettled([together.recommend({ k: 10 }), together.learner()]);
    together.delete();
    result.inFlight = (await inFlight).map((r) => `${r.status} ${r.reason?.message ?? ''}`);
    return { ...result, after: ids(after), sent: ids(sent), still: typeof result.still === 'string' ? result.still : ids(result.still),
      afterWhole: JSON.stringify(after), sentWhole: JSON.stringify(sent) };
  });
  expect(out.worker, 'the engine runs in a Worker (the page started its script)').toBe(true);
  // The event changes the list (else this test could not tell the order).
  expect(out.after).not.toEqual(out.before);
  expect(out.added).toEqual({ events: 1 });
  // Sent together, recommend() ran after addEvent: the same answer, reasons and all.
  expect(out.sentWhole).toBe(out.afterWhole);
  expect(out.refused).toEqual({ status: 'rejected', code: 'unknown_id' });
  expect(out.still).toEqual(out.after);
  expect(out.inFlight).toEqual(['rejected this Pathlight instance was deleted', 'rejected this Pathlight instance was deleted']);
});
