package io.github.blllib.benchmarks;

/** One run of a candidate; it times only the work, not its set-up. */
@FunctionalInterface
interface TimedRun {

	/** Does the work once and returns the nanoseconds it took. */
	long runNanos() throws Exception;

}
