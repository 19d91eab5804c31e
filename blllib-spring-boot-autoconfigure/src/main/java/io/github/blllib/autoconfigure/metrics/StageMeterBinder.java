package io.github.blllib.autoconfigure.metrics;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.github.blllib.Pipeline;
import io.github.blllib.PipelineListener;
import io.github.blllib.StageStatistics;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Registers the meters named in {@link BlllibMeterNames} for every stage of a pipeline when it
 * is built, tagged with the pipeline's and the stage's name, and removes them when it closes, so
 * pipelines created per job do not grow the registry.
 *
 * <p>The meters read the engine's cumulative {@link Pipeline#statistics() statistics}; nothing is
 * recorded per item. This binder holds a strong reference to the statistics of each open
 * pipeline, since gauges only hold weak ones.
 *
 * <p>Pipelines that are open at the same time under the same name share one set of meters, whose
 * figures are the sums over those pipelines: the gauge sums the open ones, the counters and the
 * timer also keep what the ones already closed counted, so they never decrease. The meters go
 * when the last pipeline of that name closes.
 */
public class StageMeterBinder implements PipelineListener {

	private static final Log logger = LogFactory.getLog(StageMeterBinder.class);

	private final MeterRegistry registry;

	/** Guarded by itself, as are the {@link StageMeters} it holds. */
	private final Map<Pipeline<?, ?>, List<StageStatistics>> openPipelines = new IdentityHashMap<>();

	private final Map<StageKey, StageMeters> meters = new HashMap<>();

	public StageMeterBinder(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void pipelineCreated(Pipeline<?, ?> pipeline) {
		List<StageStatistics> statistics = pipeline.statistics();
		synchronized (this.openPipelines) {
			if (this.openPipelines.putIfAbsent(pipeline, statistics) != null) {
				return;
			}
			for (StageStatistics stage : statistics) {
				StageKey key = new StageKey(pipeline.name(), stage.stage());
				StageMeters stageMeters = this.meters.get(key);
				if (stageMeters == null) {
					stageMeters = register(key);
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
	private StageMeters register(StageKey key) {
		try {
			return new StageMeters(this.registry, key.pipeline(), key.stage());
		}
		catch (RuntimeException ex) {
			logger.warn("Cannot register the meters of stage '" + key.stage() + "' of pipeline '" + key.pipeline()
					+ "'; it runs unobserved", ex);
			return null;
		}
	}

	private record StageKey(String pipeline, String stage) {
	}

}
