package io.github.blllib;

/**
 * Told when a pipeline is built, starts and ends a run, and closes. Metrics bind through it:
 * the per-stage figures themselves are read from {@link Pipeline#statistics()}. A listener
 * observes and cannot refuse anything: an exception it throws is logged and ignored.
 */
public interface PipelineListener {

	/** The pipeline was built. */
	default void pipelineCreated(Pipeline<?, ?> pipeline) {
	}

	/** A run of the pipeline is starting, on its first pull. */
	default void runStarted(Pipeline<?, ?> pipeline) {
	}

	/** A run of the pipeline that {@link #runStarted started} ended: exhausted, failed or closed. */
	default void runEnded(Pipeline<?, ?> pipeline) {
	}

	/**
	 * A run of the pipeline that {@link #runStarted started} ended, and how; by default
	 * {@link #runEnded(Pipeline)}. A run closed before its first pull never started, and is
	 * not reported.
	 */
	default void runEnded(Pipeline<?, ?> pipeline, RunOutcome outcome) {
		runEnded(pipeline);
	}

	/** The pipeline was closed. */
	default void pipelineClosed(Pipeline<?, ?> pipeline) {
	}

}
