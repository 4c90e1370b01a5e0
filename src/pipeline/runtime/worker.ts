import { parentPort } from 'node:worker_threads';
import { CairnError, isCairnError } from '../../model/errors.js';
import { PipelineCatalog } from '../catalog.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { LazyResources } from './resources.js';
import { decodeEvents, encodeOutcomes } from './transfer.js';

/*
 * A pipeline worker thread: keeps its own copy of the catalog (rebuilt from the server's snapshot
 * whenever it changes) and runs batches of events through it. The clock is the server's: `sync`
 * carries the offset between the injected clock and this thread's Date.now().
 */
const port = parentPort;
if (port === null) throw new Error('pipeline worker started outside a worker thread');

let nowOffsetUs = 0;
let resources = new LazyResources();
let catalog: PipelineCatalog | null = null;

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'sync': {
      nowOffsetUs = message.nowOffsetUs;
      if (message.geoip !== null) resources = new LazyResources({ geoipSource: message.geoip });
      const next = new PipelineCatalog({
        nowUs: () => Date.now() * 1000 + nowOffsetUs,
        random: Math.random,
        resources,
      });
      for (const p of message.snapshot.pipelines) next.set(p.id, p.definition, p.source);
      next.setRoutes(message.snapshot.routes);
      catalog = next;
      return;
    }
    case 'run': {
      let reply: FromWorker;
      try {
        if (catalog === null) throw new CairnError('internal', 'The pipeline worker has no pipelines yet');
        const outcomes = catalog.process(decodeEvents(message.events), {
          pipeline: message.pipeline,
          limits: message.limits,
        });
        reply = { type: 'done', id: message.id, outcomes: encodeOutcomes(outcomes) };
      } catch (err) {
        const e = isCairnError(err)
          ? err
          : new CairnError('internal', `Pipeline worker failed: ${(err as Error).message}`);
        reply = {
          type: 'failed',
          id: message.id,
          message: e.message,
          code: e.code,
          status: e.status,
          details: e.details,
        };
      }
      port.postMessage(reply);
      return;
    }
  }
});
