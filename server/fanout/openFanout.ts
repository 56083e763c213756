import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Fanout } from './fanout';
import { InProcessFanout } from './inProcessFanout';

/** In-process by default; Redis pub/sub when REDIS_URL is set. */
export async function openFanout(config: Config, nodeId: string, logger: Logger): Promise<Fanout> {
  if (config.redisUrl) {
    const { RedisFanout } = await import('./redisFanout');
    return RedisFanout.connect(config.redisUrl, nodeId, {
      ...(config.redisPrefix ? { channelPrefix: config.redisPrefix } : {}),
      onError: (err) => logger.warn({ err: err.message }, 'Redis connection error'),
      onConnectionChange: ({ role, up }) => logger.info({ role, up }, up ? 'Redis link up' : 'Redis link down'),
    });
  }
  return new InProcessFanout(nodeId);
}
