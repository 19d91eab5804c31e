package io.github.blllib.autoconfigure.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.blllib.Pipeline;
import io.github.blllib.StageStatistics;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@link HealthIndicator} {@code blllib}: UP with the open pipelines as details, DOWN when a
 * stage of one has had items in flight and finished no call for the stall timeout. Progress is
 * what the indicator saw change between its own checks, so a stall is reported from the first
 * check at least the stall timeout after the stage's last progress was seen.
 */
public class BlllibHealthIndicator implements HealthIndicator {

	private final Supplier<List<Pipeline<?, ?>>> openPipelines;

	private final long stallTimeoutNanos;

	/** What each open pipeline's stages had done at the last check; only open pipelines. */
	private Map<Pipeline<?, ?>, StageProgress[]> progress = new IdentityHashMap<>();

	/**
	 * @param openPipelines the open pipelines to check, in creation order
	 * @param stallTimeout how long a stage with items in flight may finish no call
	 */
	public BlllibHealthIndicator(Supplier<List<Pipeline<?, ?>>> openPipelines, Duration stallTimeout) {
		this.openPipelines = openPipelines;
		this.stallTimeoutNanos = stallTimeout.toNanos();
	}

	@Override
	public synchronized Health health() {
		long now = System.nanoTime();
		Map<Pipeline<?, ?>, StageProgress[]> seen = new IdentityHashMap<>();
		List<Map<String, Object>> pipelines = new ArrayList<>();
		boolean stalled = false;
		for (Pipeline<?, ?> pipeline : this.openPipelines.get()) {
			List<StageStatistics> statistics = pipeline.statistics();
			StageProgress[] stages = this.progress.getOrDefault(pipeline, new StageProgress[statistics.size()]);
			List<Map<String, Object>> stalledStages = new ArrayList<>();
			for (int i = 0; i < stages.length; i++) {
				StageStatistics stage = statistics.get(i);
				stages[i] = StageProgress.update(stages[i], stage, now);
				long idleNanos = now - stages[i].lastProgressNanos();
				if (stage.inFlight() > 0 && idleNanos >= this.stallTimeoutNanos) {
					stalledStages.add(stalledStage(stage, idleNanos));
				}
			}
			seen.put(pipeline, stages);
			stalled |= !stalledStages.isEmpty();
			pipelines.add(describe(pipeline, stalledStages));
		}
		this.progress = seen;
		Health.Builder health = stalled ? Health.down() : Health.up();
		return health.withDetail("pipelines", pipelines).build();
	}

	private static Map<String, Object> describe(Pipeline<?, ?> pipeline, List<Map<String, Object>> stalledStages) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", pipeline.name());
		details.put("hasOpenRun", pipeline.hasOpenRun());
		details.put("stalledStages", stalledStages);
		return details;
	}

	private static Map<String, Object> stalledStage(StageStatistics stage, long idleNanos) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("name", stage.stage());
		details.put("inFlight", stage.inFlight());
		details.put("idleMillis", Duration.ofNanos(idleNanos).toMillis());
		return details;
	}

	/**
	 * A stage's calls finished when last checked, and when it was last seen to progress: to
	 * finish a call, or to have nothing in flight.
	 */
	private record StageProgress(long processed, long lastProgressNanos) {

		static StageProgress update(StageProgress previous, StageStatistics stage, long now) {
			long processed = stage.processed();
			if (previous == null || processed != previous.processed() || stage.inFlight() == 0) {
				return new StageProgress(processed, now);
			}
			return previous;
		}

	}

}
