package io.github.blllib;

/** What a run tells its pipeline: that it started (on its first pull) and that it ended. */
interface RunEvents {

	void runStarted();

	/** The run ended: exhausted, failed or closed; no stage code of it runs any more. */
	void runEnded(PipelineRun<?> run);

}
