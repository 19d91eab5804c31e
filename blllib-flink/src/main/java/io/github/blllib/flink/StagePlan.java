package io.github.blllib.flink;

import java.io.Serializable;

import io.github.blllib.StageKind;
import io.github.blllib.StageSpec;

/**
 * One stage of a {@link FlinkPipeline} as the job graph needs it: the settings that shape the
 * graph, fixed when the job is built, and where each task manager gets the stage from.
 */
record StagePlan(String name, StageKind kind, int window, int batchSize, StageSource source) implements Serializable {

	static StagePlan of(StageSpec<?, ?> spec, StageSource source) {
		return new StagePlan(spec.name(), spec.settings().kind(), spec.settings().window(),
				spec.settings().batchSize(), source);
	}

}
