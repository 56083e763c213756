import client from 'prom-client';
import type { RoomMetrics } from './documents/roomMetrics';
import { UPDATE_STAGES, type StageSink, type UpdateStage } from './documents/updateStages';
import { CountedHistogram } from './countedHistogram';

/** Prometheus metrics of one server node (its own registry: several nodes may share a process in tests). */
export function createMetrics(gauges: { connections: () => number; documents: () => number; incidentKinds?: () => Promise<{ real: number; exercise: number }> }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  new client.Gauge({ name: 'crisis_connections', help: 'Connected sockets', registers: [registry], collect() { this.set(gauges.connections()); } });
  new client.Gauge({ name: 'crisis_documents_loaded', help: 'Documents in memory', registers: [registry], collect() { this.set(gauges.documents()); } });
  // Exercises never count as real incidents (issue 17): one series per kind.
  const incidentKinds = gauges.incidentKinds;
  if (incidentKinds) {
    new client.Gauge({ name: 'crisis_incidents', help: 'Incidents in the registry, by kind (real or exercise)', labelNames: ['kind'], registers: [registry], async collect() {
      const counts = await incidentKinds();
      this.set({ kind: 'real' }, counts.real);
      this.set({ kind: 'exercise' }, counts.exercise);
    } });
  }
  const room: RoomMetrics = {
    updates: new client.Counter({ name: 'crisis_updates_total', help: 'Updates committed to the journal', registers: [registry] }),
    catchUps: new client.Counter({ name: 'crisis_catchups_total', help: 'Catch-ups from the journal after a fan-out gap', registers: [registry] }),
    materialised: new client.Counter({ name: 'crisis_documents_materialised_total', help: 'Documents applied into memory', registers: [registry] }),
    commitSeconds: new client.Histogram({ name: 'crisis_journal_commit_seconds', help: 'Journal commit latency', buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1], registers: [registry] }),
    publishSeconds: new client.Histogram({ name: 'crisis_fanout_publish_seconds', help: 'Fan-out publish latency', buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.05, 0.1], registers: [registry] }),
  };
  return { registry, room, stages: stageHistograms(registry) };
}

/** Fine buckets: most stages take tens of microseconds, a commit with its fsync about a millisecond. */
const STAGE_BUCKETS = [0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5];

/** Per-stage times of client updates (server/documents/updateStages.ts): 14 observations per update, so counted cheaply. */
function stageHistograms(registry: client.Registry): StageSink {
  const stages = { label: 'stage', values: UPDATE_STAGES, buckets: STAGE_BUCKETS, registry };
  const step = new CountedHistogram({ ...stages, name: 'crisis_update_stage_seconds', help: 'Time of each stage of a client update, from the stage before it (received, decoded, ownersSettled, applied, commitStarted, committed, acked, broadcast)' });
  const total = new CountedHistogram({ ...stages, name: 'crisis_update_since_received_seconds', help: 'Time from receiving a client update to each of its stages' });
  return {
    observe(stage: UpdateStage, sincePrevious: number, sinceReceived: number) {
      step.observe(stage, sincePrevious);
      total.observe(stage, sinceReceived);
    },
  };
}
export type ServerMetrics = ReturnType<typeof createMetrics>;
