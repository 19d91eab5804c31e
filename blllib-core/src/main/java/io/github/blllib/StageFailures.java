package io.github.blllib;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the failed attempts of one stage become in one run, as its {@link StageSpec}'s retry,
 * skip, skip limit and timeout say: retry after a delay, skip the item to the dead letters, or
 * fail the run. Whoever calls the stage asks {@link #afterFailure} and waits for a retry as it
 * can (a rescheduled task, its own thread); skipped items are then handed on in input order
 * through {@link #countSkip} and {@link #deadLetter}, and the messages of every failure it
 * reports have one wording. The blllib engine and its Flink operators both call stages so.
 */
public final class StageFailures {

	private static final System.Logger logger = System.getLogger(StageFailures.class.getName());

	private final String pipeline;

	private final String stage;

	private final FailurePolicy policy;

	/** Whether the stage has a thread of its own, on which a timed-out call may still run. */
	private final boolean ownThread;

	private final DeadLetterHandler deadLetters;

	/** Items skipped in this run, which the skip limit bounds; counted in input order. */
	private long skipped;

	private StageFailures(String pipeline, StageSpec<?, ?> spec, DeadLetterHandler deadLetters) {
		this.pipeline = pipeline;
		this.stage = spec.name();
		this.policy = spec.failurePolicy();
		this.ownThread = spec.kind() == StageKind.STATEFUL;
		this.deadLetters = (deadLetters != null) ? deadLetters : StageFailures::logDeadLetter;
	}

	/**
	 * The failures of {@code spec} in one run of {@code pipeline}.
	 * @param deadLetters receives skipped items; null for the default, a WARN log line per item
	 */
	public static StageFailures of(String pipeline, StageSpec<?, ?> spec, DeadLetterHandler deadLetters) {
		return new StageFailures(pipeline, spec, deadLetters);
	}

	/** Whether the stage has any policy: without one, the first failure fails the run. */
	public boolean hasPolicy() {
		return !this.policy.isNone();
	}

	/** The longest a call may take, or null for no limit. */
	public Duration timeout() {
		return this.policy.timeout();
	}

	/**
	 * What attempt {@code attempt} (1 = the first) failing with {@code failure} becomes. A
	 * {@link StageTimeoutException} of a stage with a thread of its own is never retried: the
	 * timed-out call may still run there, and no second call starts beside it. An {@link Error}
	 * is neither retried nor skipped. Any thread.
	 */
	public Verdict afterFailure(Throwable failure, int attempt) {
		boolean callMayRun = this.ownThread && failure instanceof StageTimeoutException;
		Retry retry = this.policy.retry();
		if (!callMayRun && retry != null && retry.retries(failure, attempt)) {
			return new Verdict(Verdict.RETRY, retry.delayBefore(attempt).toNanos(), failure, attempt);
		}
		return giveUp(failure, attempt);
	}

	/** What a retried attempt becomes when its retry cannot wait for its delay: skip or fail. */
	Verdict withoutRetry(Verdict retried) {
		return giveUp(retried.failure(), retried.attempt());
	}

	private Verdict giveUp(Throwable failure, int attempt) {
		boolean skips = this.policy.skip() && !(failure instanceof Error);
		return new Verdict(skips ? Verdict.SKIP : Verdict.FAIL, 0, failure, attempt);
	}

	/** What attempt {@code attempt} becomes when it outlives the stage's timeout. Any thread. */
	public Verdict afterTimeout(int attempt) {
		return afterFailure(new StageTimeoutException(this.stage, this.policy.timeout()), attempt);
	}

	/**
	 * Counts one more skipped item, in input order: the run's failure when it is more than the
	 * skip limit allows, else null.
	 */
	public PipelineException countSkip(long index, Throwable failure) {
		if (this.skipped == this.policy.skipLimit()) {
			return failed(index, failure,
					"Stage '" + this.stage + "' of pipeline '" + this.pipeline + "' skipped more than "
							+ this.policy.skipLimit() + " item(s) in this run (its skip limit); it failed on input #"
							+ index + ": " + FailureDescription.of(failure));
		}
		this.skipped++;
		return null;
	}

	/**
	 * Hands a skipped item to the dead letters.
	 * @throws PipelineException when the handler fails
	 */
	public void deadLetter(long index, Object input, Throwable failure, int attempts) {
		try {
			this.deadLetters.accept(new FailedItem(this.pipeline, this.stage, index, input, failure, attempts));
		}
		catch (RuntimeException ex) {
			throw failed(index, ex, "The dead-letter handler of pipeline '" + this.pipeline + "' failed on input #"
					+ index + " of stage '" + this.stage + "'");
		}
	}

	/** The run's failure on input {@code index}, which the stage failed for good. */
	public PipelineException failed(long index, Throwable failure) {
		return new PipelineException(this.pipeline, this.stage, index, failure);
	}

	private PipelineException failed(long index, Throwable cause, String message) {
		return new PipelineException(this.pipeline, this.stage, index, message, cause);
	}

	/** The default dead-letter handler: one WARN line per skipped item. */
	static void logDeadLetter(FailedItem item) {
		logger.log(System.Logger.Level.WARNING, "Stage '" + item.stage() + "' of pipeline '" + item.pipeline()
				+ "' skipped input #" + item.index() + " after " + item.attempts() + " attempt(s): "
				+ FailureDescription.of(item.failure()));
	}

	/**
	 * Waits a retry's delay on the calling thread (a stateful stage's, or the consumer's, which
	 * keep their order by waiting); false when it is interrupted, as a close does.
	 */
	static boolean waitOnThisThread(long nanos) {
		if (nanos == 0) {
			return true;
		}
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** What a failed attempt becomes: a retry after a delay, a skipped item or the run's failure. */
	public static final class Verdict {

		private static final int RETRY = 0;

		private static final int SKIP = 1;

		private static final int FAIL = 2;

		private final int kind;

		private final long retryDelayNanos;

		private final Throwable failure;

		private final int attempt;

		private Verdict(int kind, long retryDelayNanos, Throwable failure, int attempt) {
			this.kind = kind;
			this.retryDelayNanos = retryDelayNanos;
			this.failure = failure;
			this.attempt = attempt;
		}

		/** Whether the item is tried again, attempt {@link #attempt()} + 1, after {@link #retryDelayNanos()}. */
		public boolean retries() {
			return this.kind == RETRY;
		}

		public long retryDelayNanos() {
			return this.retryDelayNanos;
		}

		/** Whether the item is skipped: it vanishes from the output and reaches the dead letters. */
		public boolean skips() {
			return this.kind == SKIP;
		}

		/** Whether the item fails the run. */
		public boolean fails() {
			return this.kind == FAIL;
		}

		/** The failure of the attempt (for a timeout, the {@link StageTimeoutException}). */
		public Throwable failure() {
			return this.failure;
		}

		/** The attempt that failed, 1 for the first. */
		public int attempt() {
			return this.attempt;
		}

	}

}
