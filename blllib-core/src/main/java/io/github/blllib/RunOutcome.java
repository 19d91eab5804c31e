package io.github.blllib;

/**
 * How a run ended, as {@link PipelineListener#runEnded(Pipeline, RunOutcome)} is told.
 *
 * @param kind whether the input was exhausted, a failure ended the run, or it was closed first
 * @param failure what ended a failed run (usually a {@link PipelineException}), else null
 */
public record RunOutcome(Kind kind, Throwable failure) {

	static final RunOutcome EXHAUSTED = new RunOutcome(Kind.EXHAUSTED, null);

	static final RunOutcome CLOSED = new RunOutcome(Kind.CLOSED, null);

	static RunOutcome failed(Throwable failure) {
		return new RunOutcome(Kind.FAILED, failure);
	}

	/** How a run ended. */
	public enum Kind {

		/** Every output was delivered. */
		EXHAUSTED,

		/** A stage, the input or the consumer failed; {@link RunOutcome#failure()} says how. */
		FAILED,

		/** The run was closed (or abandoned) before its input was exhausted. */
		CLOSED

	}

}
