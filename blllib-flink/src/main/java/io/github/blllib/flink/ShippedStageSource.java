package io.github.blllib.flink;

import java.time.Duration;

import io.github.blllib.AsyncStage;
import io.github.blllib.RateLimit;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSettings;
import io.github.blllib.StageSpec;
import org.apache.flink.api.common.functions.RuntimeContext;

/** A serializable stage shipped with the job, with the settings and failure policy of its spec. */
final class ShippedStageSource implements StageSource {

	private static final long serialVersionUID = 1L;

	private final String name;

	/** The stage, or null for an async one. */
	private final Stage<?, ?> stage;

	/** The async stage, or null. */
	private final AsyncStage<?, ?> asyncStage;

	private final String stateful;

	private final int batchSize;

	private final Retry retry;

	private final boolean skipFailures;

	private final Duration timeout;

	/** The rate limit's permits, 0 without one. */
	private final int rateLimitPermits;

	private final Duration rateLimitPeriod;

	ShippedStageSource(StageSpec<?, ?> spec) {
		this.name = spec.name();
		this.stage = spec.stage();
		this.asyncStage = spec.asyncStage();
		this.stateful = spec.stateful();
		this.batchSize = spec.batchSize();
		this.retry = spec.retryPolicy();
		this.skipFailures = spec.skipsFailures();
		this.timeout = spec.timeout();
		this.rateLimitPermits = (spec.rateLimit() != null) ? spec.rateLimit().permits() : 0;
		this.rateLimitPeriod = (spec.rateLimit() != null) ? spec.rateLimit().period() : null;
	}

	@Override
	public StageSpec<?, ?> open(RuntimeContext context) {
		StageSpec<?, ?> spec = (this.asyncStage != null)
				? StageSpec.async(this.name, this.asyncStage, StageSettings.of(this.name, this.stateful, this.batchSize, false))
				: StageSpec.of(this.name, this.stage, this.stateful, this.batchSize, false);
		if (this.retry != null) {
			spec = spec.retry(this.retry);
		}
		if (this.skipFailures) {
			spec = spec.skipFailures();
		}
		if (this.timeout != null) {
			spec = spec.timeout(this.timeout);
		}
		if (this.rateLimitPermits != 0) {
			spec = spec.rateLimit(RateLimit.of(this.rateLimitPermits, this.rateLimitPeriod));
		}
		return spec;
	}

}
