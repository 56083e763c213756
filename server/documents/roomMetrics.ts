/** The few measurements a room reports; the metrics module backs them with prom-client. */
export interface Counter {
  inc(n?: number): void;
}
export interface Histogram {
  observe(value: number): void;
}
export interface RoomMetrics {
  updates: Counter;
  catchUps: Counter;
  materialised: Counter;
  commitSeconds: Histogram;
  publishSeconds: Histogram;
}

