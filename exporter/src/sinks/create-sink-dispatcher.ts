import { hostname } from 'node:os';
import type { Registry } from 'prom-client';
import { AlertmanagerTransport } from './alertmanager-sink.js';
import { SinkDispatcher } from './dispatcher.js';
import { QueuedSink } from './queued-sink.js';
import { SinkMetrics } from './sink-metrics.js';
import { SILENT_LOGGER, type SinkLogger } from './sink-logger.js';
import type { SinkTransport } from './sink-transport.js';
import type { SinkConfig, SinksConfig } from './sinks-config.js';
import { TcpSyslogTransport } from './syslog-tcp.js';
import { UdpSyslogTransport } from './syslog-udp.js';
import { WebhookTransport } from './webhook-sink.js';

export interface SinkDispatcherOptions {
  /** Where `telltale_sink_events_total` and `telltale_sink_queue_length` are registered. */
  readonly registry: Registry;
  readonly logger?: SinkLogger;
  /** Syslog HOSTNAME and the webhook's `node`; defaults to the host name (the node name in a DaemonSet pod with hostNetwork). */
  readonly nodeName?: string;
  readonly random?: () => number;
}

function transportFor(sink: SinkConfig, nodeName: string, logger: SinkLogger): SinkTransport {
  switch (sink.type) {
    case 'alertmanager':
      return new AlertmanagerTransport({ urls: sink.urls, token: sink.token, ...sink.alerts }, logger, sink.name);
    case 'webhook':
      return new WebhookTransport({ url: sink.url, token: sink.token, node: nodeName });
    case 'syslog': {
      const format = {
        facility: sink.facility,
        hostname: sink.hostname ?? nodeName,
        appName: sink.appName,
        procId: String(process.pid),
        sdId: sink.sdId,
        maxBytes: sink.maxMessageBytes,
      };
      return sink.protocol === 'udp'
        ? new UdpSyslogTransport(sink.host, sink.port, format)
        : new TcpSyslogTransport(sink.host, sink.port, format);
    }
  }
}

/**
 * The dispatcher for `config`: one queued sink per configured sink, counted on the given
 * registry. Opens no connection yet; each sink connects on its first batch.
 */
export function createSinkDispatcher(config: SinksConfig, options: SinkDispatcherOptions): SinkDispatcher {
  const logger = options.logger ?? SILENT_LOGGER;
  const nodeName = options.nodeName ?? hostname();
  const metrics = SinkMetrics.on(options.registry);
  const sinks = config.sinks.map((sink) => {
    const transport = transportFor(sink, nodeName, logger);
    logger.info(
      { sink: sink.name, type: sink.type, endpoint: transport.endpoint, minSeverity: sink.delivery.minSeverity },
      'direct sink enabled',
    );
    return new QueuedSink({
      name: sink.name,
      transport,
      options: sink.delivery,
      metrics,
      logger,
      ...(options.random ? { random: options.random } : {}),
    });
  });
  return new SinkDispatcher(sinks, logger);
}
