package io.github.blllib.autoconfigure.observation;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.StageStatistics;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each run of a pipeline as one {@link Observation} named {@value #RUN}, so that a run
 * is a span in traces and {@code blllib.run.active} counts the open runs (with Micrometer's
 * meter handler). It starts on the run's first pull, on the consuming thread, under that
 * thread's current observation, and stops when the run ends, with the outcome
 * {@value #OUTCOME_ERROR} when a stage call failed during the run and {@value #OUTCOME_ENDED}
 * otherwise: {@link PipelineListener#runEnded} does not tell a run that was exhausted from one
 * that was closed early or whose input failed. Nothing is done per item.
 */
public class PipelineRunObservations implements PipelineListener {

	/** Name of the observation of a run. */
	public static final String RUN = "blllib.run";

	/** Low-cardinality key: the pipeline's name. */
	public static final String KEY_PIPELINE = "pipeline";

	/** Low-cardinality key set when the run ends: how it ended. */
	public static final String KEY_OUTCOME = "outcome";

	/** Outcome of a run during which a stage call failed, which ends the run. */
	public static final String OUTCOME_ERROR = "error";

	/** Outcome of any other run: exhausted, closed early, or ended by its input's failure. */
	public static final String OUTCOME_ENDED = "ended";

	private final ObservationRegistry registry;

	/**
	 * The started runs of each pipeline not yet ended, oldest first: a pipeline has one open
	 * run, but the end of one run may be told after the start of the next. Guarded by itself.
	 */
	private final Map<Pipeline<?, ?>, Deque<RunObservation>> runs = new IdentityHashMap<>();

	public PipelineRunObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void runStarted(Pipeline<?, ?> pipeline) {
		Observation observation = Observation.createNotStarted(RUN, this.registry)
			.contextualName(pipeline.name() + " run")
			.lowCardinalityKeyValue(KEY_PIPELINE, pipeline.name())
			.start();
		RunObservation run = new RunObservation(observation, failedCalls(pipeline));
		synchronized (this.runs) {
			this.runs.computeIfAbsent(pipeline, (key) -> new ArrayDeque<>()).addLast(run);
		}
	}

	@Override
	public void runEnded(Pipeline<?, ?> pipeline) {
		RunObservation run;
		synchronized (this.runs) {
			Deque<RunObservation> started = this.runs.get(pipeline);
			// a run closed before its first pull ends without having started
			run = (started != null) ? started.pollFirst() : null;
			if (started != null && started.isEmpty()) {
				this.runs.remove(pipeline);
			}
		}
		if (run != null) {
			boolean failed = failedCalls(pipeline) > run.failedCallsAtStart();
			run.observation()
				.lowCardinalityKeyValue(KEY_OUTCOME, failed ? OUTCOME_ERROR : OUTCOME_ENDED)
				.stop();
		}
	}

	private static long failedCalls(Pipeline<?, ?> pipeline) {
		long failed = 0;
		for (StageStatistics stage : pipeline.statistics()) {
			failed += stage.failed();
		}
		return failed;
	}

	private record RunObservation(Observation observation, long failedCallsAtStart) {
	}

}
