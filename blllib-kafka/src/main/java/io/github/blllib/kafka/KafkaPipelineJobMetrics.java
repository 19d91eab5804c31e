package io.github.blllib.kafka;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The meters of a {@link KafkaPipelineJob}, tagged {@code job}: records delivered and not yet
 * committed (gauge), commits and rebalances (counters). Micrometer is an optional dependency of
 * this module: only this class needs it. The meters hold the job weakly: keep the job referenced.
 */
public final class KafkaPipelineJobMetrics implements MeterBinder {

	/** Records whose outputs were delivered and whose offsets are not yet committed. */
	public static final String UNCOMMITTED = "blllib.kafka.records.uncommitted";

	/** Commits of offsets, with a transaction or without. */
	public static final String COMMITS = "blllib.kafka.commits";

	/** Rebalances that took partitions from the job (revoked or lost). */
	public static final String REBALANCES = "blllib.kafka.rebalances";

	private final KafkaPipelineJob job;

	public KafkaPipelineJobMetrics(KafkaPipelineJob job) {
		this.job = job;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		JobProgress progress = this.job.progress();
		Gauge.builder(UNCOMMITTED, progress, (figures) -> figures.uncommitted.get())
			.description("Records whose outputs were delivered and whose offsets are not yet committed")
			.baseUnit("records")
			.tag("job", this.job.name())
			.register(registry);
		FunctionCounter.builder(COMMITS, progress, (figures) -> figures.commits.get())
			.description("Offset commits")
			.tag("job", this.job.name())
			.register(registry);
		FunctionCounter.builder(REBALANCES, progress, (figures) -> figures.rebalances.get())
			.description("Rebalances that took partitions from the job")
			.tag("job", this.job.name())
			.register(registry);
	}

}
