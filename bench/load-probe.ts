import { get } from 'node:http';

/** What a probe saw during a load: peak memory and how long `/healthz` took to answer. */
export interface ProbeReport {
  readonly peakRssMb: number;
  readonly peakHeapMb: number;
  readonly healthChecks: number;
  readonly slowestHealthMs: number;
  readonly p99HealthMs: number;
}

/** One `GET /healthz` on loopback; resolves with its duration (a failure counts as its time). */
function timeHealth(port: number): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(performance.now() - started));
    });
    req.on('error', () => resolve(performance.now() - started));
  });
}

/**
 * Samples this process's memory every 25 ms and asks `/healthz` one request at a time, for as
 * long as the load runs: what an orchestrator's probe would see. `stop()` gives the figures.
 */
export function startProbe(port: number): { stop(): Promise<ProbeReport> } {
  let peakRss = 0;
  let peakHeap = 0;
  const memory = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 25);
  const times: number[] = [];
  const t0 = performance.now();
  let running = true;
  const loop = (async () => {
    while (running) {
      const at = performance.now() - t0;
      const took = await timeHealth(port);
      if (process.env['BENCH_DEBUG'] && took > 200) console.log(`slow /healthz at ${Math.round(at)} ms: ${Math.round(took)} ms`);
      times.push(took);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      clearInterval(memory);
      const sorted = [...times].sort((a, b) => a - b);
      const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
      return {
        peakRssMb: mb(peakRss),
        peakHeapMb: mb(peakHeap),
        healthChecks: times.length,
        slowestHealthMs: Math.round(sorted.at(-1) ?? 0),
        p99HealthMs: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
      };
    },
  };
}

/** Prints a probe report the way every load bench does. */
export function printProbe(report: ProbeReport, goal = { rssMb: 250, healthMs: 200 }): void {
  console.log(`peak RSS            ${report.peakRssMb} MB (heap ${report.peakHeapMb} MB; goal under ${goal.rssMb} MB)`);
  console.log(`/healthz            ${report.healthChecks} answers, slowest ${report.slowestHealthMs} ms, p99 ${report.p99HealthMs} ms (goal under ${goal.healthMs} ms)`);
  console.log(`verdict             ${report.peakRssMb < goal.rssMb && report.slowestHealthMs < goal.healthMs ? 'within goals' : 'OUTSIDE GOALS'}`);
}
