/** The part of autocannon's API the benches use (the package ships no types). */
declare module 'autocannon' {
  /** One request of autocannon's `requests` list; `setupRequest` runs before every send. */
  export interface AutocannonRequest {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string;
    setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
  }
  /** Run options (those the benches set). */
  export interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    requests?: AutocannonRequest[];
  }
  /** Percentiles as autocannon reports them (p50, p99 ...). */
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
    total: number;
  }
  /** What one run measured. */
  export interface AutocannonResult {
    requests: Histogram;
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
  }
  /** Runs the load and resolves with the result. */
  export default function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
}
