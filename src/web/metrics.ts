/** Label values of one series, in a fixed order per metric. */
type Labels = Record<string, string>;

const BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',');
}

interface Histogram {
  counts: number[];
  sum: number;
  n: number;
}

/**
 * The process's Prometheus counters and histograms (kept in memory, exported on /metrics):
 * webhook latency by channel and outcome, turn duration, sends by platform and outcome.
 */
export class Metrics {
  private readonly counters = new Map<string, { help: string; series: Map<string, number> }>();
  private readonly histograms = new Map<string, { help: string; series: Map<string, Histogram> }>();

  /** Adds `n` to a counter series. */
  inc(name: string, help: string, labels: Labels, n = 1): void {
    let metric = this.counters.get(name);
    if (!metric) this.counters.set(name, (metric = { help, series: new Map() }));
    const k = key(labels);
    metric.series.set(k, (metric.series.get(k) ?? 0) + n);
  }

  /** Records one observation (seconds) in a histogram series. */
  observe(name: string, help: string, labels: Labels, seconds: number): void {
    let metric = this.histograms.get(name);
    if (!metric) this.histograms.set(name, (metric = { help, series: new Map() }));
    const k = key(labels);
    let h = metric.series.get(k);
    if (!h) metric.series.set(k, (h = { counts: BUCKETS_S.map(() => 0), sum: 0, n: 0 }));
    for (let i = 0; i < BUCKETS_S.length; i++) if (seconds <= BUCKETS_S[i]!) h.counts[i]! += 1;
    h.sum += seconds;
    h.n += 1;
  }

  /** The value of one counter series (tests, status). */
  value(name: string, labels: Labels): number {
    return this.counters.get(name)?.series.get(key(labels)) ?? 0;
  }

  /** Prometheus text exposition of everything recorded. */
  render(): string[] {
    const lines: string[] = [];
    for (const [name, m] of this.counters) {
      lines.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of m.series) lines.push(`${name}{${k}} ${v}`);
    }
    for (const [name, m] of this.histograms) {
      lines.push(`# HELP ${name} ${m.help}`, `# TYPE ${name} histogram`);
      for (const [k, h] of m.series) {
        const sep = k ? ',' : '';
        BUCKETS_S.forEach((b, i) =>
          lines.push(`${name}_bucket{${k}${sep}le="${b}"} ${h.counts[i]}`),
        );
        lines.push(`${name}_bucket{${k}${sep}le="+Inf"} ${h.n}`);
        lines.push(`${name}_sum{${k}} ${h.sum}`, `${name}_count{${k}} ${h.n}`);
      }
    }
    return lines;
  }
}
