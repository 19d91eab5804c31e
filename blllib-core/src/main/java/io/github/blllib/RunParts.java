package io.github.blllib;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * Everything a run needs, handed to it by its {@link Pipeline} so that the run never reaches
 * back: the stages with their counters, the executors, and where to report its start and end.
 *
 * @param pipeline the pipeline's name
 * @param stages what to run, in order
 * @param counters what happened to each stage, in the same order
 * @param workerPool the executor of stateless and window stages, null when no stage needs it
 * @param nCpu the most worker threads the run's stateless and window stages use at once
 * @param dedicatedExecutors opens the thread of each stateful stage not run in master
 * @param deadLetters receives the items stages skip
 * @param events told when the run starts and ends
 */
record RunParts(String pipeline, List<StageSpec<?, ?>> stages, List<StageCounters> counters, Executor workerPool,
		int nCpu, DedicatedExecutorFactory dedicatedExecutors, DeadLetterHandler deadLetters, RunEvents events) {

	/** Whether no stage runs off the consuming thread. */
	boolean allInMaster() {
		return this.stages.stream().allMatch(StageSpec::isRunInMaster);
	}

	/** Whether a stateful stage runs on the consuming thread. */
	boolean hasStatefulStageInMaster() {
		return this.stages.stream().anyMatch((spec) -> spec.isRunInMaster() && spec.kind() == StageKind.STATEFUL);
	}

}
