package io.github.blllib.autoconfigure.observation;

import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.RunOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * Observes each run of a pipeline as one {@link Observation} named {@value #RUN}, so that a run
 * is a span in traces and {@code blllib.run.active} counts the open runs (with Micrometer's
 * meter handler). It starts on the run's first pull, on the consuming thread, under that
 * thread's current observation, and stops when the run ends, with its outcome
 * ({@code exhausted}, {@code failed} with the failure as the observation's error, or
 * {@code closed}). Nothing is done per item.
 */
public class PipelineRunObservations implements PipelineListener {

	/** Name of the observation of a run. */
	public static final String RUN = "blllib.run";

	/** Low-cardinality key: the pipeline's name. */
	public static final String KEY_PIPELINE = "pipeline";

	/** Low-cardinality key set when the run ends: how it ended. */
	public static final String KEY_OUTCOME = "outcome";

	private final ObservationRegistry registry;

	/** The observation of each pipeline's open run, once started. Guarded by itself. */
	private final Map<Pipeline<?, ?>, Observation> runs = new IdentityHashMap<>();

	public PipelineRunObservations(ObservationRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void runStarted(Pipeline<?, ?> pipeline) {
		Observation observation = Observation.createNotStarted(RUN, this.registry)
			.contextualName(pipeline.name() + " run")
			.lowCardinalityKeyValue(KEY_PIPELINE, pipeline.name())
			.start();
		synchronized (this.runs) {
			this.runs.put(pipeline, observation);
		}
	}

	@Override
	public void runEnded(Pipeline<?, ?> pipeline, RunOutcome outcome) {
		Observation observation;
		synchronized (this.runs) {
			observation = this.runs.remove(pipeline);
		}
		if (observation == null) {
			return;
		}
		if (outcome.failure() != null) {
			observation.error(outcome.failure());
		}
		observation.lowCardinalityKeyValue(KEY_OUTCOME, outcome.kind().name().toLowerCase(Locale.ROOT)).stop();
	}

}
