import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { DocumentStore } from '../storage/documentStore';
import { defaultCheckpointKeyFile, loadOrCreateCheckpointKey } from '../evidence/checkpointKey';
import { CheckpointService } from '../evidence/checkpointService';

/** The checkpoint signer of a server or of the CLI, from the same configuration. */
export function openCheckpoints(config: Config, store: DocumentStore, logger: Logger): CheckpointService {
  const file = path.resolve(config.checkpointKeyFile ?? defaultCheckpointKeyFile(config.dataDir));
  const key = loadOrCreateCheckpointKey(file, (message) => logger.warn(message));
  return new CheckpointService(store, key, config.checkpointIntervalSeconds * 1000, logger);
}
