package io.github.blllib.autoconfigure;

import io.github.blllib.StageKind;

/**
 * The resolved settings of a Stage bean: its {@code @BlllibStage}, placeholders resolved, with
 * {@code blllib.stages.<name>.*} properties applied key by key.
 *
 * @param stateful the setting as the seed spells it: "true", "false" or the window size
 * @param kind the kind of stage {@code stateful} declares
 * @param window the window size of a {@link StageKind#WINDOW} stage, 0 otherwise
 * @param batchSize most inputs (or windows) in flight
 * @param runInMaster whether the stage runs on the consuming thread
 * @param prototype whether each pipeline gets a fresh instance of the bean (it is not a
 * singleton)
 */
public record StageSettings(String stateful, StageKind kind, int window, int batchSize, boolean runInMaster,
		boolean prototype) {

	/** Whether the stage takes a dedicated thread while a run is open: stateful, not in master. */
	public boolean needsDedicatedThread() {
		return this.kind == StageKind.STATEFUL && !this.runInMaster;
	}

}
