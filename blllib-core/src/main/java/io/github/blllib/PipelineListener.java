package io.github.blllib;

/**
 * Told when a pipeline is built, starts and ends a run, and closes. Metrics bind through it:
 * the per-stage figures themselves are read from {@link Pipeline#statistics()}.
 */
public interface PipelineListener {

	/** The pipeline was built. */
	default void pipelineCreated(Pipeline<?, ?> pipeline) {
	}

	/**
	 * A run of the pipeline is starting, on its first pull. A listener may refuse the run by
	 * throwing: the run is closed and the exception propagates from {@code hasNext()}; listeners
	 * after it are not told of the start, but every listener is told {@link #runEnded}.
	 */
	default void runStarted(Pipeline<?, ?> pipeline) {
	}

	/** A run of the pipeline ended: exhausted, failed or closed. */
	default void runEnded(Pipeline<?, ?> pipeline) {
	}

	/** The pipeline was closed. */
	default void pipelineClosed(Pipeline<?, ?> pipeline) {
	}

}
