package io.github.blllib;

/**
 * What happened to one stage of a pipeline, summed over its runs; safe to read from any thread.
 * What the stage is, its settings, is {@link Pipeline#stages()}.
 * A stage run in master is counted by the consuming thread, which publishes its counts after
 * every timed call (at least once in 1,024 calls), whenever it waits for another stage, and when
 * the run ends: while a run is open they may lag by that much; once it has ended they are exact.
 */
public interface StageStatistics {

	/** The stage's name. */
	String stage();

	/**
	 * Items (or windows) submitted to the stage and not yet handed downstream; for an async
	 * stage, the calls started and not yet handed on, its outstanding futures among them.
	 */
	int inFlight();

	/** Calls that returned an output. */
	long succeeded();

	/** Calls that threw, and whose item was not skipped. */
	long failed();

	/** Calls that returned {@code null}, so the item was dropped. */
	long dropped();

	/** Items skipped after their calls failed (see {@link StageSpec#skipFailures()}). */
	long skipped();

	/** Calls tried again after a failure (see {@link StageSpec#retry(Retry)}). */
	long retries();

	/** Calls that took longer than the stage's timeout (see {@link StageSpec#timeout}). */
	long timeouts();

	/** Calls that took a permit of the stage's rate limit (see {@link StageSpec#rateLimit(RateLimit)}). */
	long permitsTaken();

	/** Time calls waited for a permit of the stage's rate limit, in nanoseconds, summed over the calls. */
	long permitWaitNanos();

	/** Items finished, whatever their outcome. */
	default long processed() {
		return succeeded() + failed() + dropped() + skipped();
	}

	/**
	 * Time spent inside the stage, in nanoseconds, over all finished calls; for an async stage,
	 * from each call's start to its future's completion.
	 */
	long totalTimeNanos();

	/** Threads running the stage right now; none for an async stage, as no thread waits for its futures. */
	int activeThreads();

}
