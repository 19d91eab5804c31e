package io.github.blllib.autoconfigure;

import java.util.function.ToDoubleFunction;

import io.github.blllib.kafka.KafkaJobState;
import io.github.blllib.micrometer.BlllibMeterNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds each Kafka job's meters, tagged {@value BlllibMeterNames#TAG_JOB}: records delivered and
 * not yet committed ({@value BlllibMeterNames#KAFKA_UNCOMMITTED}), commits
 * ({@value BlllibMeterNames#KAFKA_COMMITS}) and rebalances
 * ({@value BlllibMeterNames#KAFKA_REBALANCES}). The meters hold the lifecycle beans, which the
 * context holds too.
 */
final class KafkaJobMeters implements SmartInitializingSingleton {

	private final MeterRegistry registry;

	private final ObjectProvider<KafkaJobLifecycle> jobs;

	KafkaJobMeters(MeterRegistry registry, ObjectProvider<KafkaJobLifecycle> jobs) {
		this.registry = registry;
		this.jobs = jobs;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.jobs.orderedStream().forEach(this::bind);
	}

	private void bind(KafkaJobLifecycle job) {
		Gauge.builder(BlllibMeterNames.KAFKA_UNCOMMITTED, job, figure(KafkaJobState::uncommittedRecords))
			.description("Records whose outputs were delivered and whose offsets are not yet committed")
			.baseUnit(BlllibMeterNames.UNIT_RECORDS)
			.tag(BlllibMeterNames.TAG_JOB, job.job())
			.register(this.registry);
		FunctionCounter.builder(BlllibMeterNames.KAFKA_COMMITS, job, figure(KafkaJobState::commits))
			.description("Offset commits of the Kafka job")
			.tag(BlllibMeterNames.TAG_JOB, job.job())
			.register(this.registry);
		FunctionCounter.builder(BlllibMeterNames.KAFKA_REBALANCES, job, figure(KafkaJobState::rebalances))
			.description("Rebalances that took partitions from the Kafka job")
			.tag(BlllibMeterNames.TAG_JOB, job.job())
			.register(this.registry);
	}

	private static ToDoubleFunction<KafkaJobLifecycle> figure(ToDoubleFunction<KafkaJobState> figure) {
		return (job) -> figure.applyAsDouble(job.state());
	}

}
