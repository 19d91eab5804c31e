package io.github.blllib.autoconfigure;

import java.util.List;

import io.github.blllib.kafka.KafkaPipelineJob;
import io.github.blllib.kafka.KafkaPipelineJobMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds the meters of each Kafka job the lifecycle beans start ({@link KafkaPipelineJobMetrics},
 * tag {@code job}), in place of those of the job's previous start: a restarted context counts
 * its commits and rebalances from zero. The lifecycle bean holds the job the meters read.
 */
final class KafkaJobMeters {

	private static final List<String> NAMES = List.of(KafkaPipelineJobMetrics.UNCOMMITTED,
			KafkaPipelineJobMetrics.COMMITS, KafkaPipelineJobMetrics.REBALANCES);

	private final MeterRegistry registry;

	KafkaJobMeters(MeterRegistry registry) {
		this.registry = registry;
	}

	synchronized void bind(KafkaPipelineJob job) {
		for (String name : NAMES) {
			this.registry.find(name).tag("job", job.name()).meters().forEach(this.registry::remove);
		}
		new KafkaPipelineJobMetrics(job).bindTo(this.registry);
	}

}
