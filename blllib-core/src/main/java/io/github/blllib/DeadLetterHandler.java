package io.github.blllib;

/**
 * Receives every item a stage skipped after its failure (see {@link StageSpec#skipFailures()}),
 * on the consuming thread, in input order. The default logs a WARN line with pipeline, stage,
 * index and cause. A handler that throws fails the run.
 */
@FunctionalInterface
public interface DeadLetterHandler {

	void accept(FailedItem item);

}
