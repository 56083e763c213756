import type { Config } from '../config';
import type { Fanout } from './fanout';
import { InProcessFanout } from './inProcessFanout';

/** In-process by default; Redis pub/sub when REDIS_URL is set. */
export async function openFanout(config: Config, nodeId: string): Promise<Fanout> {
  if (config.redisUrl) {
    const { RedisFanout } = await import('./redisFanout');
    return RedisFanout.connect(config.redisUrl, nodeId);
  }
  return new InProcessFanout(nodeId);
}
