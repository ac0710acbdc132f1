// Runs async tasks one at a time, in the order they were asked for: each sees the engine and the
// learner store as the previous one left them. Used by the app and the widget's reader around
// every change to the learner (an event recorded while another tab's records are being merged).

/**
 * A queue of tasks: `run(task)` resolves or rejects as `task` does; a failed task does not stop
 * the ones after it.
 * @returns {<T>(task: () => Promise<T>) => Promise<T>}
 */
export function serialQueue() {
  /** @type {Promise<unknown>} */
  let tail = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => {});
    return run;
  };
}
