package io.github.blllib;

/**
 * The items one off-thread stage skips in one run, handed over by the consuming thread in input
 * order: each reaches the dead letters, unless it is one more than the skip limit allows, which
 * fails the run. Consuming thread only.
 */
final class SkippedItems {

	private final String pipeline;

	private final String stage;

	private final long skipLimit;

	private final DeadLetterHandler deadLetters;

	private long skippedInRun;

	SkippedItems(String pipeline, String stage, FailurePolicy policy, DeadLetterHandler deadLetters) {
		this.pipeline = pipeline;
		this.stage = stage;
		this.skipLimit = policy.skipLimit();
		this.deadLetters = deadLetters;
	}

	/** Hands a skipped item on; throws when the run fails on it. */
	void handOn(Unsuccessful.Skipped skipped, long index) {
		this.skippedInRun++;
		if (this.skippedInRun > this.skipLimit) {
			throw new PipelineException(this.pipeline, this.stage, index,
					"Stage '" + this.stage + "' of pipeline '" + this.pipeline + "' skipped more than " + this.skipLimit
							+ " item(s) in this run (its skip limit); it failed on input #" + index + ": "
							+ FailureDescription.of(skipped.cause),
					skipped.cause);
		}
		try {
			this.deadLetters.accept(new FailedItem(this.pipeline, this.stage, index, skipped.input, skipped.cause,
					skipped.attempts));
		}
		catch (RuntimeException ex) {
			throw new PipelineException(this.pipeline, this.stage, index, "The dead-letter handler of pipeline '"
					+ this.pipeline + "' failed on input #" + index + " of stage '" + this.stage + "'", ex);
		}
	}

}
