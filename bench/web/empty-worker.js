// An empty module Worker (bench/web/bench.js, mode=floor): it only says that it runs.
postMessage('running');
