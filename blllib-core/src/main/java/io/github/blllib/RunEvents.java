package io.github.blllib;

/** What a run tells its pipeline: that it started (on its first pull) and that it ended. */
interface RunEvents {

	void runStarted();

	/**
	 * The run ended: exhausted, failed, closed or abandoned; no stage code of it runs any more.
	 * @param token the identity of the run, {@link OrderedRun#token()}
	 * @param outcome how it ended
	 * @param started whether it had started (listeners heard of its start)
	 */
	void runEnded(RunState token, RunOutcome outcome, boolean started);

}
