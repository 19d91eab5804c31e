package io.github.blllib;

import java.util.concurrent.ExecutorService;

/**
 * Opens the single-thread executor a stateful stage runs on during one run. The pipeline
 * shuts it down ({@link ExecutorService#shutdownNow()}) and waits for it when the run ends.
 */
@FunctionalInterface
public interface DedicatedExecutorFactory {

	/** A new executor with exactly one thread for the given stage. */
	ExecutorService open(String pipeline, String stage);

}
