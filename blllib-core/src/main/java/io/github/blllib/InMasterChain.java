package io.github.blllib;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

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
 * <p>
 * Origins (see {@link RunNode#heldOrigin()}) cost an item nothing until it reaches a window: a
 * stage's output has its input's origin, so only window steps keep the origins of the items they
 * hold, and a failed stage notes its item's.
 */
final class InMasterChain {

	/** Items between two timed items of a chain whose stages take under a microsecond. */
	static final int CHEAP_CALL_INTERVAL = 1024;

	/** Items between two timed items of a chain whose slowest stage takes 1 to 100 microseconds. */
	static final int MEDIUM_CALL_INTERVAL = 16;

	private static final long MICROSECOND = 1_000;

	/** Origins a window step keeps room for at first: memory follows the items a window holds. */
	private static final int INITIAL_ORIGINS = 16;

	private final String pipeline;

	private final DeadLetterHandler deadLetters;

	/** The run's state: how the consumer waits out a retry's delay or a permit. */
	private final RunState run;

	private final Step first;

	/** The steps from first to last. */
	private final List<Step> steps = new ArrayList<>();

	/** The node whose items enter the chain. */
	private final RunNode upstream;

	/** The window steps, from first to last. */
	private final List<WindowStep> windows = new ArrayList<>();

	/** The origin of the chain's last output: its last window's, else that of the item entered. */
	private final LongSupplier outputOrigin;

	/** Told the position before each timed item, when the chain's output is the run's; or null. */
	private LongConsumer positions;

	/** The origin of the item a stage failed on, else {@link Long#MAX_VALUE}. */
	private long failedOrigin = Long.MAX_VALUE;

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
	 * {@code trailingWindow} items for the off-thread window stage after it (0 when there is none),
	 * fed by {@code upstream}.
	 */
	InMasterChain(String pipeline, List<StageSpec<?, ?>> stages, List<StageCounters> counters, int trailingWindow,
			DeadLetterHandler deadLetters, RunNode upstream, RunState run) {
		this.pipeline = pipeline;
		this.deadLetters = deadLetters;
		this.upstream = upstream;
		this.run = run;
		List<Step> reversed = new ArrayList<>();
		Step step = new LastStep();
		if (trailingWindow > 0) {
			step = new WindowStep(trailingWindow, step);
			reversed.add(step);
		}
		for (int i = stages.size() - 1; i >= 0; i--) {
			StageSpec<?, ?> spec = stages.get(i);
			StageStep stageStep = stageStep(i, spec, counters.get(i), step);
			step = stageStep;
			reversed.add(step);
			if (stageStep.permits != null) {
				step = new PermitStep(stageStep);
				reversed.add(step);
			}
			if (spec.kind() == StageKind.WINDOW) {
				step = new WindowStep(spec.window(), step);
				reversed.add(step);
			}
		}
		this.first = step;
		for (int i = reversed.size() - 1; i >= 0; i--) {
			this.steps.add(reversed.get(i));
		}
		LongSupplier origin = upstream::handedOrigin;
		for (Step each : this.steps) {
			each.inputOrigin = origin;
			if (each instanceof WindowStep window) {
				this.windows.add(window);
				origin = window::handedOrigin;
			}
		}
		this.outputOrigin = origin;
	}

	/** The origin of the chain's last output. Consuming thread. */
	long outputOrigin() {
		return this.outputOrigin.getAsLong();
	}

	/** As {@link RunNode#heldOrigin()}, for the chain and the nodes before it. Consuming thread. */
	long heldOrigin() {
		long origin = Math.min(this.failedOrigin, this.upstream.heldOrigin());
		for (WindowStep window : this.windows) {
			origin = Math.min(origin, window.heldOrigin());
		}
		return origin;
	}

	/**
	 * Tells {@code positions} the run's position before each item the chain times (at least
	 * every {@value #CHEAP_CALL_INTERVAL} items): for a chain fed by the source whose outputs are
	 * the run's, when every earlier output has been handed over.
	 */
	void reportPositions(LongConsumer positions) {
		this.positions = positions;
	}

	private StageStep stageStep(int position, StageSpec<?, ?> spec, StageCounters counters, Step next) {
		if (!spec.failurePolicy().isNone()) {
			return new RecoveringStageStep(spec, counters, next);
		}
		// C2 profiles a call per method, not per stage: a copy of accept for each of four positions
		// keeps every stage's call of the next one monomorphic, so four cheap stages inline whole.
		return switch (position % 4) {
			case 0 -> new StageStep(spec, counters, next);
			case 1 -> new SecondStageStep(spec, counters, next);
			case 2 -> new ThirdStageStep(spec, counters, next);
			default -> new FourthStageStep(spec, counters, next);
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
		if (this.positions != null) {
			// the item's own origin, or an earlier one still needed
			this.positions.accept(Math.min(heldOrigin(), this.upstream.handedOrigin()));
		}
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

		/** The origin of the item this step is given, as the chain links it. */
		LongSupplier inputOrigin;

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
	 * A stage's step; a stage with a failure policy gets a {@link RecoveringStageStep}, and a
	 * rate-limited stage a {@link PermitStep} before it.
	 */
	private class StageStep extends Step {

		final Stage<Object, Object> stage;

		final StageCounters counters;

		final Step next;

		/** The stage's way to its rate limit, or null when it has none. */
		final PermitGate permits;

		/** Items dropped, skipped ones included. */
		private long dropped;

		/** Items whose call never started: the run closed while they waited for a permit. */
		private long closedBeforeCall;

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
			this.permits = PermitGate.of(spec, counters);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
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

		/**
		 * Takes a permit of the stage's rate limit, the consuming thread waiting for it: false when
		 * the run closed first.
		 */
		final boolean permitted() {
			try {
				return this.permits.awaitOnConsumer(InMasterChain.this.run);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw failed(ex);
			}
		}

		/** Null, for an item whose call the run's close kept from starting. */
		final Object closedBeforeCall() {
			this.closedBeforeCall++;
			return null;
		}

		/** Null, after counting a dropped item. */
		final Object dropped() {
			this.dropped++;
			return null;
		}

		/**
		 * The stage's output. A failure ends in a throw, never back in the caller's flow: a handler
		 * that returned a value would merge into every output and cost the JIT its knowledge of the
		 * output's type.
		 */
		Object apply(Object input) {
			try {
				return this.stage.apply(input);
			}
			catch (Throwable ex) {
				throw failed(ex);
			}
		}

		/** Counts a failed call and publishes the chain's counts; the run's failure. */
		final PipelineException failed(Throwable ex) {
			long index = callsOf(this) - 1;
			return counted(new PipelineException(InMasterChain.this.pipeline, this.counters.stage(), index, ex));
		}

		/** Counts a failed call, notes its origin and publishes the chain's counts; {@code failure}. */
		final PipelineException counted(PipelineException failure) {
			this.failed++;
			InMasterChain.this.failedOrigin = this.inputOrigin.getAsLong();
			InMasterChain.this.publishCounts();
			return failure;
		}

		@Override
		long lost() {
			return this.dropped + this.failed + this.closedBeforeCall;
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
		void publishCounts(long reaching) {
			long calls = reaching - this.closedBeforeCall;
			this.counters.addMasterCounts(calls - this.publishedCalls, this.dropped - this.publishedDropped,
					this.failed - this.publishedFailed, skippedSincePublished());
			this.publishedCalls = calls;
			this.publishedDropped = this.dropped;
			this.publishedFailed = this.failed;
		}

	}

	/** A {@link StageStep} with its own copy of {@code accept}: see {@link #stageStep}. */
	private final class SecondStageStep extends StageStep {

		SecondStageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	/** A {@link StageStep} with its own copy of {@code accept}: see {@link #stageStep}. */
	private final class ThirdStageStep extends StageStep {

		ThirdStageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	/** A {@link StageStep} with its own copy of {@code accept}: see {@link #stageStep}. */
	private final class FourthStageStep extends StageStep {

		FourthStageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
		}

		@Override
		Object accept(Object input) {
			Object output = apply(input);
			return (output != null) ? this.next.accept(output) : dropped();
		}

	}

	/** Takes a permit of its stage's rate limit before the stage's step is given the item. */
	private static final class PermitStep extends Step {

		private final StageStep stage;

		PermitStep(StageStep stage) {
			this.stage = stage;
		}

		@Override
		Object accept(Object item) {
			return this.stage.permitted() ? this.stage.accept(item) : this.stage.closedBeforeCall();
		}

		@Override
		Object acceptTimed(Object item) {
			return this.stage.permitted() ? this.stage.acceptTimed(item) : this.stage.closedBeforeCall();
		}

	}

	/**
	 * The step of a stage with a failure policy: a failed call is retried on the consuming thread
	 * as the policy says, then its item skipped (as a dropped one) or the run failed.
	 */
	private final class RecoveringStageStep extends StageStep {

		private final StageFailures failures;

		/** Items skipped, as counted when last published. */
		private long skipped;

		private long publishedSkipped;

		RecoveringStageStep(StageSpec<?, ?> spec, StageCounters counters, Step next) {
			super(spec, counters, next);
			this.failures = StageFailures.of(InMasterChain.this.pipeline, spec, InMasterChain.this.deadLetters);
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
			StageFailures.Verdict verdict = this.failures.afterFailure(firstFailure, 1);
			while (verdict.retries()) {
				this.counters.retried();
				// a close ends the wait and the pull, an interrupt the run: neither makes the item failed
				InMasterChain.this.run.awaitRetryDelay(verdict.retryDelayNanos());
				if (this.permits != null && !permitted()) {
					// the run closed: the pull ends quietly, without the item
					return null;
				}
				try {
					return this.stage.apply(input);
				}
				catch (Throwable ex) {
					verdict = this.failures.afterFailure(ex, verdict.attempt() + 1);
				}
			}
			if (verdict.fails()) {
				throw failed(verdict.failure());
			}
			long index = callsOf(this) - 1;
			PipelineException overLimit = this.failures.countSkip(index, verdict.failure());
			if (overLimit != null) {
				throw counted(overLimit);
			}
			this.skipped++;
			this.failures.deadLetter(index, input, verdict.failure(), verdict.attempt());
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

		private final int k;

		/**
		 * The origins of the last k items pushed, the one pushed as item {@code n} at
		 * {@code n % origins.length}; grown up to k as items come, like the window's items.
		 */
		private long[] origins;

		private long pushed;

		private long withheld;

		WindowStep(int k, Step next) {
			this.window = new SlidingWindow(k);
			this.next = next;
			this.k = k;
			this.origins = new long[Math.min(k, INITIAL_ORIGINS)];
		}

		@Override
		Object accept(Object item) {
			List<Object> completed = push(item);
			if (completed == null) {
				this.withheld++;
				return null;
			}
			return this.next.accept(completed);
		}

		@Override
		Object acceptTimed(Object item) {
			List<Object> completed = push(item);
			if (completed == null) {
				this.withheld++;
				return null;
			}
			return this.next.acceptTimed(completed);
		}

		private List<Object> push(Object item) {
			if (this.pushed == this.origins.length && this.pushed < this.k) {
				// fewer than k pushed so far, each at its own index: nothing wrapped yet
				this.origins = Arrays.copyOf(this.origins, (int) Math.min(this.k, 2 * this.pushed));
			}
			this.origins[(int) (this.pushed % this.origins.length)] = this.inputOrigin.getAsLong();
			this.pushed++;
			return this.window.push(item);
		}

		/** The origin of the last window: that of its first item, pushed k items ago. */
		long handedOrigin() {
			return this.origins[(int) (this.pushed % this.origins.length)];
		}

		/**
		 * The origin of the first item a later window starts at: the k - 1 items pushed last (all of
		 * them before the first window) will start windows, or {@link Long#MAX_VALUE} when none.
		 */
		long heldOrigin() {
			long held = Math.min(this.pushed, this.origins.length - 1);
			return (held == 0) ? Long.MAX_VALUE : this.origins[(int) ((this.pushed - held) % this.origins.length)];
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
