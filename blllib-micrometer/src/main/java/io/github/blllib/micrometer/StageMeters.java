package io.github.blllib.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

import io.github.blllib.StageStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * The meters of one stage name in one pipeline name, reading the live {@link StageStatistics} of
 * every open pipeline of that name. Usually there is one; when several open pipelines share a
 * name their figures are summed, and the figures of those that closed are kept (as retired
 * totals) until the last one closes, so that the counters and the timer never go backwards.
 *
 * <p>Readers (the registry, on any thread) see an immutable {@link Figures} snapshot; opening and
 * closing replace it under the lock of {@link PipelineMetrics}.
 */
final class StageMeters {

	private final List<Meter> meters = new ArrayList<>(8);

	private volatile Figures figures = Figures.NONE;

	/**
	 * Registers the meters of {@code stage} in {@code pipeline} (the permit wait only when it has a
	 * rate limit); when the registry refuses one,
	 * those already registered are removed before the failure is thrown.
	 */
	StageMeters(MeterRegistry registry, String pipeline, String stage, boolean rateLimited) {
		try {
			registerAll(registry, pipeline, stage, rateLimited);
		}
		catch (RuntimeException ex) {
			remove(registry);
			throw ex;
		}
	}

	private void registerAll(MeterRegistry registry, String pipeline, String stage, boolean rateLimited) {
		Tags tags = Tags.of(BlllibMeterNames.TAG_PIPELINE, pipeline, BlllibMeterNames.TAG_STAGE, stage);
		this.meters.add(Gauge.builder(BlllibMeterNames.STAGE_IN_FLIGHT, this, StageMeters::inFlight)
			.tags(tags)
			.description("Items (or windows) submitted to the stage and not yet handed downstream")
			.baseUnit(BlllibMeterNames.UNIT_ITEMS)
			.register(registry));
		this.meters.add(processed(registry, tags, BlllibMeterNames.OUTCOME_SUCCESS, Figure.SUCCEEDED));
		this.meters.add(processed(registry, tags, BlllibMeterNames.OUTCOME_ERROR, Figure.FAILED));
		this.meters.add(processed(registry, tags, BlllibMeterNames.OUTCOME_DROPPED, Figure.DROPPED));
		this.meters.add(processed(registry, tags, BlllibMeterNames.OUTCOME_SKIPPED, Figure.SKIPPED));
		this.meters.add(counter(registry, tags, BlllibMeterNames.STAGE_RETRIES, Figure.RETRIES,
				"Calls of the stage tried again after a failure, under its retry policy"));
		this.meters.add(counter(registry, tags, BlllibMeterNames.STAGE_TIMEOUTS, Figure.TIMEOUTS,
				"Calls of the stage that took longer than its timeout"));
		this.meters.add(FunctionTimer
			.builder(BlllibMeterNames.STAGE_DURATION, this, (meters) -> meters.sum(Figure.PROCESSED),
					(meters) -> meters.sum(Figure.TOTAL_TIME_NANOS), TimeUnit.NANOSECONDS)
			.tags(tags)
			.description("Time spent inside the stage (for a stage run in master, estimated from sampled calls)")
			.register(registry));
		if (rateLimited) {
			this.meters.add(FunctionTimer
				.builder(BlllibMeterNames.STAGE_PERMIT_WAIT, this, (meters) -> meters.sum(Figure.PERMITS_TAKEN),
						(meters) -> meters.sum(Figure.PERMIT_WAIT_NANOS), TimeUnit.NANOSECONDS)
				.tags(tags)
				.description("Time calls of the stage waited for permits of its rate limit")
				.register(registry));
		}
	}

	private FunctionCounter processed(MeterRegistry registry, Tags tags, String outcome, Figure count) {
		return FunctionCounter.builder(BlllibMeterNames.STAGE_PROCESSED, this, (meters) -> meters.sum(count))
			.tags(tags)
			.tag(BlllibMeterNames.TAG_OUTCOME, outcome)
			.description("Stage calls finished, by outcome: success (an output), error (threw), dropped "
					+ "(returned null) or skipped (failed, and skipped by the stage's policy)")
			.register(registry);
	}

	private FunctionCounter counter(MeterRegistry registry, Tags tags, String name, Figure count,
			String description) {
		return FunctionCounter.builder(name, this, (meters) -> meters.sum(count))
			.tags(tags)
			.description(description)
			.register(registry);
	}

	/** Starts reading a newly opened pipeline's figures. Under the lock of {@link PipelineMetrics}. */
	void open(StageStatistics statistics) {
		this.figures = this.figures.with(statistics);
	}

	/**
	 * Stops reading a closed pipeline's figures, keeping its totals. Under the lock of {@link PipelineMetrics}.
	 * @return whether no open pipeline is left, so the meters can be removed
	 */
	boolean close(StageStatistics statistics) {
		this.figures = this.figures.without(statistics);
		return this.figures.open().isEmpty();
	}

	void remove(MeterRegistry registry) {
		this.meters.forEach(registry::remove);
	}

	private double inFlight() {
		long sum = 0;
		for (StageStatistics statistics : this.figures.open()) {
			sum += statistics.inFlight();
		}
		return sum;
	}

	private long sum(Figure figure) {
		Figures current = this.figures;
		long sum = current.retired()[figure.ordinal()];
		for (StageStatistics statistics : current.open()) {
			sum += figure.reader.applyAsLong(statistics);
		}
		return sum;
	}

	/** The cumulative figures the counters and the timer read. */
	private enum Figure {

		SUCCEEDED(StageStatistics::succeeded), FAILED(StageStatistics::failed), DROPPED(StageStatistics::dropped),
		SKIPPED(StageStatistics::skipped), RETRIES(StageStatistics::retries), TIMEOUTS(StageStatistics::timeouts),
		PROCESSED(StageStatistics::processed), TOTAL_TIME_NANOS(StageStatistics::totalTimeNanos),
		PERMITS_TAKEN(StageStatistics::permitsTaken), PERMIT_WAIT_NANOS(StageStatistics::permitWaitNanos);

		private final ToLongFunction<StageStatistics> reader;

		Figure(ToLongFunction<StageStatistics> reader) {
			this.reader = reader;
		}

	}

	/**
	 * The statistics of the open pipelines and, by {@link Figure} ordinal, the final figures of
	 * the closed ones; never modified once published.
	 */
	private record Figures(List<StageStatistics> open, long[] retired) {

		static final Figures NONE = new Figures(List.of(), new long[Figure.values().length]);

		Figures with(StageStatistics opened) {
			List<StageStatistics> all = new ArrayList<>(this.open);
			all.add(opened);
			return new Figures(List.copyOf(all), this.retired);
		}

		Figures without(StageStatistics closed) {
			List<StageStatistics> rest = new ArrayList<>(this.open);
			rest.removeIf((candidate) -> candidate == closed);
			long[] totals = this.retired.clone();
			for (Figure figure : Figure.values()) {
				totals[figure.ordinal()] += figure.reader.applyAsLong(closed);
			}
			return new Figures(List.copyOf(rest), totals);
		}

	}

}
