/**
 * `/metrics` in the Prometheus text exposition format (version 0.0.4), written by hand: the
 * format is a few lines of text, and what prom-client adds (a registry, default collectors,
 * cluster aggregation) is more than this needs. Label values are bounded by construction: the
 * method is one of a fixed list (else `OTHER`), the status is the three-digit code, and paths
 * never become labels.
 */

/** One value of a family, with its labels. */
interface Sample {
  readonly labels?: Readonly<Record<string, string>>;
  readonly value: number;
  /** Appended to the family name: `_bucket`, `_sum`, `_count` for histograms. */
  readonly suffix?: string;
}

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly samples: readonly Sample[];
}

const METHODS = new Set([
  'GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL',
  'MKCALENDAR', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'ACL', 'SEARCH',
]); // prettier-ignore

/** Upper bounds of the latency histogram, in seconds. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The families as exposition text. */
export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {});
      const text = labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      lines.push(`${f.name}${s.suffix ?? ''}${text} ${formatValue(s.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

interface Histogram {
  readonly counts: number[];
  sum: number;
  count: number;
}

/** Requests answered by this process: count by method and status, latency by method. */
export class HttpMetrics {
  private readonly requests = new Map<string, number>();
  private readonly latency = new Map<string, Histogram>();
  inFlight = 0;

  observe(rawMethod: string | undefined, status: number, seconds: number): void {
    const method = METHODS.has(rawMethod ?? '') ? (rawMethod as string) : 'OTHER';
    const key = `${method} ${status}`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.latency.get(method);
    if (!h) this.latency.set(method, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) h.counts[i] = (h.counts[i] ?? 0) + 1;
    });
    h.sum += seconds;
    h.count += 1;
  }

  families(): Family[] {
    const requests = [...this.requests].map(([key, value]) => {
      const [method = '', status = ''] = key.split(' ');
      return { labels: { method, status }, value };
    });
    const latency = [...this.latency].flatMap(([method, h]) => [
      ...BUCKETS.map((le, i) => ({ suffix: '_bucket', labels: { method, le: String(le) }, value: h.counts[i] ?? 0 })),
      { suffix: '_bucket', labels: { method, le: '+Inf' }, value: h.count },
      { suffix: '_sum', labels: { method }, value: h.sum },
      { suffix: '_count', labels: { method }, value: h.count },
    ]);
    return [
      { name: 'almanac_http_requests_total', help: 'HTTP requests answered, by method and status code.', type: 'counter', samples: requests },
      { name: 'almanac_http_request_duration_seconds', help: 'Time from request to the end of the answer, by method.', type: 'histogram', samples: latency },
      { name: 'almanac_http_requests_in_flight', help: 'Requests being answered now.', type: 'gauge', samples: [{ value: this.inFlight }] },
    ]; // prettier-ignore
  }
}
