package io.github.blllib;

import java.util.ArrayList;
import java.util.List;

/**
 * What the consuming thread does to each item between two off-thread stages (or the input and
 * the output): consecutive in-master stages, and the sliding windows of a window stage, fused
 * into a chain of small step objects like a stream's sinks, so that the JIT inlines each stage
 * into the step that calls it. An item goes down the chain until a stage drops it, a window
 * holds it, or it comes out of the last step. This is the engine's only window implementation:
 * a window stage that runs off the consuming thread gets its windows from the chain before it.
 * <p>
 * Only the consuming thread runs the chain, and it keeps its books in plain fields at the least
 * cost per item: the chain counts the items that enter it, and each step only the items that go
 * no further, from which each stage's calls follow. Reading the clock can cost more than a cheap
 * stage's call, so one item in every so many goes down the chain timed, stage by stage: every
 * item for stages slower than 100 µs, one in {@value #MEDIUM_CALL_INTERVAL} for stages of 1 to
 * 100 µs, one in {@value #CHEAP_CALL_INTERVAL} for cheaper ones. The counts are published to
 * each stage's {@link StageCounters} after every timed item, on a failure, and whenever the run
 * asks: before the consumer waits and when the run ends. Each publication adds what was counted
 * since the last one, so the figures of successive runs add up.
 */
final class InMasterChain {

	/** Items between two timed items of a chain whose stages take under a microsecond. */
	static final int CHEAP_CALL_INTERVAL = 1024;

	/** Items between two timed items of a chain whose slowest stage takes 1 to 100 microseconds. */
	static final int MEDIUM_CALL_INTERVAL = 16;

	private static final long MICROSECOND = 1_000;

	private final String pipeline;

	private final DeadLetterHandler deadLetters;

	/** The run's state, which says how the consumer waits out a retry's delay. */
	private final RunState run;

	private final Step first;

	/** The steps from first to last. */
	private final List<Step> steps = new ArrayList<>();

	/**
	 * Items that entered the chain, up to and including the last timed one. Only the countdown
	 * to the next timed item changes per item; the count of items entered follows from it.
	 */
	private long enteredUntilTimed;

	/** Items from the last timed item to the next. */
	private int interval = 1;

	/** Items still to enter, the next timed one included. */
	private int untilTimed = 1;

	/**
	 * A chain of the in-master {@code stages} with their {@code counters}, then windows of
	 * {@code trailingWindow} items for the off-thread window stage after it (0 when there is none).
	 */
	InMasterChain(String pipeline, List<StageSpec<?, ?>> stages, List<StageCounters> counters, int trailingWindow,
			DeadLetterHandler deadLetters, RunState run) {
		this.pipeline = pipeline;
		this.deadLetters = deadLetters;
		this.run = run;
		List<Step> reversed = new ArrayList<>();
		Step step = new LastStep();
		if (trailingWindow > 0) {
			step = new WindowStep(trailingWindow, step);
			reversed.add(step);
		}
		for (int i = stages.size() - 1; i >= 0; i--) {
			StageSpec<?, ?> spec = stages.get(i);
			step = stageStep(i, spec, counters.get(i), step);
			reversed.add(step);
			if (spec.kind() == StageKind.WINDOW) {
				step = new WindowStep(spec.window(), step);
				reversed.add(step);
			}
		}
		this.first = step;
		for (int i = reversed.size() - 1; i >= 0; i--) {
			this.steps.add(reversed.get(i));
		}
	}

	private StageStep stageStep(int position, StageSpec<?, ?> spec, StageCounters counters, Step next) {
		if (!spec.failurePolicy().isNone()) {
			return new RecoveringStageStep(spec, counters, next);
		}
		return switch (position % 4) {
			case 0 -> new StageStep0(spec, counters, next);
			case 1 -> new StageStep1(spec, counters, next);
			case 2 -> new StageStep2(spec, counters, next);
			default -> new StageStep3(spec, counters, next);
		};
	}

	/** How many items after a timed call that took {@code nanos} its stage should be timed again. */
	static int timingInterval(long nanos) {
		if (nanos < MICROSECOND) {
			return CHEAP_CALL_INTERVAL;
		}
		return (nanos < 100 * MICROSECOND) ? MEDIUM_CALL_INTERVAL : 1;
	}


	/** The chain's output for this item, or null when a stage dropped it or a window holds it. */
	Object accept(Object item) {
		return (--this.untilTimed != 0) ? this.first.accept(item) : acceptTimed(item);
	}

	private Object acceptTimed(Object item) {
		this.enteredUntilTimed += this.interval;
		this.interval = 0;
		Object output = this.first.acceptTimed(item);
		int next = CHEAP_CALL_INTERVAL;
		for (Step step : this.steps) {
			next = Math.min(next, step.timingInterval());
		}
		this.interval = next;
		this.untilTimed = next;
		publishCounts();
		return output;
	}

	/** Items that entered the chain. */
	long entered() {
		return this.enteredUntilTimed + this.interval - this.untilTimed;
	}

	/** Publishes every stage's counts. Consuming thread only. */
	void publishCounts() {
		long reaching = entered();
		for (Step step : this.steps) {
			step.publishCounts(reaching);
			reaching -= step.lost();
		}
	}

	/** Calls of {@code stage}, the current one included: the items that reached it. */
	private long callsOf(Step stage) {
		long reaching = entered();
		for (Step step : this.steps) {
			if (step == stage) {
				break;
			}
			reaching -= step.lost();
		}
		return reaching;
	}

	/** One step of the chain: the chain's output for this value, or null when there is none. */
	private abstract static class Step {

		abstract Object accept(Object value);

		/** As {@link #accept}, timing each stage call. */
		abstract Object acceptTimed(Object value);

		/** Items that went no further than this step. */
		long lost() {
			return 0;
		}

		/** How many items later the chain should time its stages again, for this step. */
		int timingInterval() {
			return CHEAP_CALL_INTERVAL;
		}

		/** Publishes the counts of a stage that {@code calls} items reached. */
		void publishCounts(long calls) {
		}

	}

	/**
	 * A stage's step. Its {@code accept} is written out in four identical copies, used in turn
	 * along the chain: C2 inlines a method into a copy of itself only once, so one shared method
	 * stops inlining after two stages, and its type profile mixes every stage's successor. A stage
	 * with a failure policy gets a {@link RecoveringStageStep} instead.
	 */
	private abstract class StageStep extends Step {

		final Stage<Object, Object> stage;

		final StageCounters counters;

		final Step next;

		/** Items dropped, skipped ones included. */
		private long dropped;

		private long failed;

		private long publishedCalls;

		private long publishedDropped;

		private long publishedFailed;

		/** Until its first timed call, a stage asks to be timed soon. */
		private int timingInterval = MEDIUM_CALL_INTERVAL;

		@SuppressWarnings("unchecked")
		StageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			this.stage = (Stage<Object, Object>) spec.stage();
			this.counters = counters;
			this.next = next;
		}

		@Override
		Object acceptTimed(Object input) {
			long start = System.nanoTime();
			Object output = apply(input);
			long nanos = System.nanoTime() - start;
			this.counters.masterCallTimed(nanos);
			this.timingInterval = InMasterChain.timingInterval(nanos);
			return (output != null) ? this.next.acceptTimed(output) : dropped();
		}

		/** Null, after counting a dropped item. */
		final Object dropped() {
			this.dropped++;
			return null;
		}

		/**
		 * The stage's output. A failure ends in a throw, never back in the caller's flow: a handler
		 * that returned a value would merge into every output and cost the JIT its knowledge of the
		 * output's type (about 10% of a chain of trivial stages on JDK 17).
		 */
		Object apply(Object input) {
			try {
				return this.stage.apply(input);
			}
			catch (Throwable ex) {
				throw failed(ex);
			}
		}

		final PipelineException failed(Throwable ex) {
			return failed(ex, null);
		}

		/**
		 * Counts a failed call and publishes the chain's counts; the run's failure, with
		 * {@code reason} ahead of the cause's message when there is one.
		 */
		final PipelineException failed(Throwable ex, String reason) {
			this.failed++;
			InMasterChain.this.publishCounts();
			long index = callsOf(this) - 1;
			String stage = this.counters.stage();
			if (reason == null) {
				return new PipelineException(InMasterChain.this.pipeline, stage, index, ex);
			}
			return new PipelineException(InMasterChain.this.pipeline, stage, index,
					reason + "; it failed on input #" + index + ": " + ex, ex);
		}

		@Override
		long lost() {
			return this.dropped + this.failed;
		}

		@Override
		int timingInterval() {
			return this.timingInterval;
		}

		/** Items skipped since the last publication, counted among the dropped ones. */
		long skippedSincePublished() {
			return 0;
		}

		@Override
		void publishCounts(long calls) {
			this.counters.addMasterCounts(calls - this.publishedCalls, this.dropped - this.publishedDropped,
					this.failed - this.publishedFailed, skippedSincePublished());
			this.publishedCalls = calls;
			this.publishedDropped = this.dropped;
			this.publishedFailed = this.failed;
		}

	}

	private final class StageStep0 extends StageStep {

		StageStep0(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	private final class StageStep1 extends StageStep {

		StageStep1(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	private final class StageStep2 extends StageStep {

		StageStep2(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	private final class StageStep3 extends StageStep {

		StageStep3(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	/**
	 * The step of a stage with a failure policy: a failed call is retried on the consuming thread
	 * as the policy says, then its item skipped (as a dropped one) or the run failed.
	 */
	private final class RecoveringStageStep extends StageStep {

		private final FailurePolicy policy;

		/** Items skipped in this run, which the skip limit bounds. */
		private long skipped;

		private long publishedSkipped;

		RecoveringStageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
			this.policy = spec.failurePolicy();
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

		/** The stage's output, or null when its item is skipped. */
		@Override
		Object apply(Object input) {
			try {
				return this.stage.apply(input);
			}
			catch (Throwable ex) {
				return recover(input, ex);
			}
		}

		private Object recover(Object input, Throwable firstFailure) {
			Throwable failure = firstFailure;
			int attempt = 1;
			while (this.policy.retries(failure, attempt)) {
				this.counters.retried();
				// a close ends the wait and the pull, an interrupt the run: neither makes the item failed
				InMasterChain.this.run.awaitRetryDelay(this.policy.retry().delayBefore(attempt).toNanos());
				attempt++;
				try {
					return this.stage.apply(input);
				}
				catch (Throwable ex) {
					failure = ex;
				}
			}
			if (!this.policy.skips(failure)) {
				throw failed(failure);
			}
			if (this.skipped == this.policy.skipLimit()) {
				throw failed(failure, "Stage '" + this.counters.stage() + "' of pipeline '" + InMasterChain.this.pipeline
						+ "' skipped more than " + this.policy.skipLimit() + " item(s) in this run (its skip limit)");
			}
			this.skipped++;
			long index = callsOf(this) - 1;
			try {
				InMasterChain.this.deadLetters.accept(new FailedItem(InMasterChain.this.pipeline,
						this.counters.stage(), index, input, failure, attempt));
			}
			catch (RuntimeException ex) {
				throw new PipelineException(InMasterChain.this.pipeline, this.counters.stage(), index,
						"The dead-letter handler of pipeline '" + InMasterChain.this.pipeline + "' failed on input #"
								+ index + " of stage '" + this.counters.stage() + "'",
						ex);
			}
			return null;
		}

		@Override
		long skippedSincePublished() {
			long since = this.skipped - this.publishedSkipped;
			this.publishedSkipped = this.skipped;
			return since;
		}

	}

	private static final class WindowStep extends Step {

		private final SlidingWindow window;

		private final Step next;

		private long withheld;

		WindowStep(int k, Step next) {
			this.window = new SlidingWindow(k);
			this.next = next;
		}

		@Override
		Object accept(Object item) {
			List<Object> completed = this.window.push(item);
			if (completed == null) {
				this.withheld++;
				return null;
			}
			return this.next.accept(completed);
		}

		@Override
		Object acceptTimed(Object item) {
			List<Object> completed = this.window.push(item);
			if (completed == null) {
				this.withheld++;
				return null;
			}
			return this.next.acceptTimed(completed);
		}

		@Override
		long lost() {
			return this.withheld;
		}

	}

	private static final class LastStep extends Step {

		@Override
		Object accept(Object value) {
			return value;
		}

		@Override
		Object acceptTimed(Object value) {
			return value;
		}

	}

}
