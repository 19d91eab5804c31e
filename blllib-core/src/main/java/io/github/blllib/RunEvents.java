package io.github.blllib;

/** What a run tells its pipeline: that it started (on its first pull) and that it ended. */
interface RunEvents {

	void runStarted();

	/**
	 * The run ended: exhausted, failed, closed or abandoned; no stage code of it runs any more.
	 * @param token the identity of the run, {@link OrderedRun#token()}
	 */
	void runEnded(RunSignals token);

}
