package io.github.blllib.micrometer;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.StageStatistics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds pipelines to a {@link MeterRegistry}: registers the meters named in
 * {@link BlllibMeterNames} for every stage of a pipeline when it is built, tagged with the
 * pipeline's and the stage's name, and removes them when it closes, so pipelines created per job
 * do not grow the registry.
 *
 * <pre>{@code
 * Pipeline<Integer, Integer> pipeline = Pipeline.<Integer>builder("numbers")
 *     .listener(new PipelineMetrics(registry))
 *     .then(StageSpec.stateless("square", (Integer x) -> x * x))
 *     .build();
 * }</pre>
 *
 * <p>The meters read the engine's cumulative {@link Pipeline#statistics() statistics}; nothing is
 * recorded per item. Pipelines open at the same time under the same name share one set of meters
 * that sums their figures; the counters and the timer keep what the closed ones counted, so they
 * never decrease, until the last pipeline of that name closes. A registry that refuses a meter
 * is logged and never fails the pipeline.
 */
public final class PipelineMetrics implements PipelineListener {

	private static final System.Logger logger = System.getLogger(PipelineMetrics.class.getName());

	private final MeterRegistry registry;

	/**
	 * Guarded by itself, as are {@link #meters} and the {@link StageMeters} it holds. Holds the
	 * statistics of each open pipeline strongly, since gauges hold them only weakly.
	 */
	private final Map<Pipeline<?, ?>, List<StageStatistics>> openPipelines = new IdentityHashMap<>();

	private final Map<StageKey, StageMeters> meters = new HashMap<>();

	/** Registers the meters of every pipeline this listener is added to in {@code registry}. */
	public PipelineMetrics(MeterRegistry registry) {
		this.registry = Objects.requireNonNull(registry, "registry must not be null");
	}

	@Override
	public void pipelineCreated(Pipeline<?, ?> pipeline) {
		List<StageStatistics> statistics = pipeline.statistics();
		synchronized (this.openPipelines) {
			if (this.openPipelines.putIfAbsent(pipeline, statistics) != null) {
				return;
			}
			for (int i = 0; i < statistics.size(); i++) {
				StageStatistics stage = statistics.get(i);
				StageKey key = new StageKey(pipeline.name(), stage.stage());
				StageMeters stageMeters = this.meters.get(key);
				if (stageMeters == null) {
					stageMeters = register(key, pipeline.stages().get(i).settings().rateLimit() != null);
					if (stageMeters == null) {
						continue;
					}
					this.meters.put(key, stageMeters);
				}
				stageMeters.open(stage);
			}
		}
	}

	@Override
	public void pipelineClosed(Pipeline<?, ?> pipeline) {
		synchronized (this.openPipelines) {
			List<StageStatistics> statistics = this.openPipelines.remove(pipeline);
			if (statistics == null) {
				return;
			}
			for (StageStatistics stage : statistics) {
				StageKey key = new StageKey(pipeline.name(), stage.stage());
				StageMeters stageMeters = this.meters.get(key);
				if (stageMeters != null && stageMeters.close(stage)) {
					this.meters.remove(key);
					stageMeters.remove(this.registry);
				}
			}
		}
	}

	/** The meters of a stage, or {@code null} when the registry refuses them: metrics never fail a pipeline. */
	private StageMeters register(StageKey key, boolean rateLimited) {
		try {
			return new StageMeters(this.registry, key.pipeline(), key.stage(), rateLimited);
		}
		catch (RuntimeException ex) {
			logger.log(Level.WARNING, "Cannot register the meters of stage '" + key.stage() + "' of pipeline '"
					+ key.pipeline() + "'; it runs unobserved", ex);
			return null;
		}
	}

	private record StageKey(String pipeline, String stage) {
	}

}
