package io.github.blllib.demo;

import java.time.Duration;
import java.util.List;

import io.github.blllib.AsyncStage;
import io.github.blllib.Pipeline;
import io.github.blllib.Retry;
import io.github.blllib.Stage;
import io.github.blllib.StageSpec;

/**
 * The resumable job's pipeline, the long job's stages over values that keep the number they
 * derive from, so that every output has a key: flaky-lookup (stateless, a transient failure
 * retried, a missing record skipped), remote-screening (async, drops what the service turns
 * away), collatz-steps (stateless), second-difference (windows of 3) and running-total
 * (stateful, started from a stored total). Every stage decides by its input alone, so a replay
 * from a stored position gives the same outputs.
 */
public final class ResumablePipeline {

	/** The pipeline's name. */
	public static final String NAME = "resumable-job";

	private ResumablePipeline() {
	}

	/**
	 * The pipeline over the numbers 1, 2, 3, ...
	 * @param screening the remote screening service's client
	 * @param startTotal the running total of the outputs delivered before this run
	 */
	public static Pipeline<Long, Output> build(AsyncStage<Long, Long> screening, long startTotal) {
		Retry transientFailures = Retry.maxRetries(1)
			.delay(Duration.ofMillis(10))
			.includes(FlakyLookup.TransientLookupException.class);
		return Pipeline.<Long>builder(NAME)
			.then(StageSpec.stateless("flaky-lookup", new FlakyLookup())
				.batchSize(64)
				.retry(transientFailures)
				.skipFailures())
			.then(StageSpec.async("remote-screening", screening).batchSize(256).timeout(Duration.ofSeconds(2)))
			.then(StageSpec.stateless("collatz-steps", (Long n) -> new Steps(n, CollatzSteps.steps(n))).batchSize(64))
			.then(StageSpec.window("second-difference", 3, ResumablePipeline::secondDifference).batchSize(64))
			.then(StageSpec.stateful("running-total", new RunningTotal(startTotal)).batchSize(64))
			.build();
	}

	private static Difference secondDifference(List<Steps> window) {
		return new Difference(window.get(0).n(), window.get(2).steps() - window.get(0).steps());
	}

	/** The Collatz steps of {@code n}. */
	public record Steps(long n, long steps) {
	}

	/** The second difference of the steps over the window that starts at {@code n}. */
	public record Difference(long n, long value) {
	}

	/**
	 * One output of the job.
	 * @param n the number its window starts at: its key, one output per number at most
	 * @param difference the second difference of the Collatz steps over that window
	 * @param total the running total of the differences up to this one
	 */
	public record Output(long n, long difference, long total) {
	}

	/**
	 * The stateful stage: the running total of the differences. Its state is the total of the
	 * last output delivered, which the job stores with the outputs and starts it from.
	 */
	static final class RunningTotal implements Stage<Difference, Output> {

		private long total;

		RunningTotal(long startTotal) {
			this.total = startTotal;
		}

		@Override
		public Output apply(Difference difference) {
			this.total += difference.value();
			return new Output(difference.n(), difference.value(), this.total);
		}

	}

}
