package io.github.blllib;

import java.util.List;

/**
 * Consecutive stages that run on the consuming thread, at the moment it pulls: each upstream
 * item is pushed through a chain of steps, one per stage (a window step before a window
 * stage), until a stage drops it or it comes out of the last one. Nothing is handed to another
 * thread, so these stages keep no in-flight count and only sample their timing; a sequential
 * pipeline is one such segment. A chain of small step objects, like a stream's sinks, lets the
 * JIT inline a stage into the step that calls it.
 */
final class InMasterSegmentNode extends RunNode {

	private final RunNode upstream;

	private final Step first;

	InMasterSegmentNode(String pipeline, RunNode upstream, List<StageCounters> counters) {
		this.upstream = upstream;
		Step step = new LastStep();
		for (int i = counters.size() - 1; i >= 0; i--) {
			StageSpec<?, ?> spec = counters.get(i).spec();
			step = new StageStep(pipeline, counters.get(i), step);
			if (spec.kind() == StageKind.WINDOW) {
				step = new WindowStep(spec.window(), step);
			}
		}
		this.first = step;
	}

	@Override
	void beforeWait() {
		this.upstream.beforeWait();
	}

	@Override
	Object poll() {
		while (true) {
			Object item = this.upstream.poll();
			if (item == NOT_READY || item == END) {
				return item;
			}
			Object output = this.first.accept(item);
			if (output != null) {
				return output;
			}
		}
	}

	/** One step of the chain: the segment's output for this value, or null when there is none. */
	private abstract static class Step {

		abstract Object accept(Object value);

	}

	private static final class StageStep extends Step {

		private final String pipeline;

		private final Stage<Object, Object> stage;

		private final StageCounters counters;

		private final Step next;

		@SuppressWarnings("unchecked")
		StageStep(String pipeline, StageCounters counters, Step next) {
			this.pipeline = pipeline;
			this.stage = (Stage<Object, Object>) counters.spec().stage();
			this.counters = counters;
			this.next = next;
		}

		@Override
		Object accept(Object input) {
			Object output = this.counters.shouldTimeMasterCall() ? applyTimed(input) : apply(input);
			return (output != null) ? this.next.accept(output) : null;
		}

		private Object applyTimed(Object input) {
			long start = System.nanoTime();
			try {
				return apply(input);
			}
			finally {
				this.counters.masterCallTimed(System.nanoTime() - start);
			}
		}

		private Object apply(Object input) {
			long position = this.counters.masterCallStarted();
			Object output;
			try {
				output = this.stage.apply(input);
			}
			catch (Throwable ex) {
				this.counters.masterCallFailed();
				throw new PipelineException(this.pipeline, this.counters.stage(), position, ex);
			}
			if (output == null) {
				this.counters.masterCallDropped();
			}
			return output;
		}

	}

	private static final class WindowStep extends Step {

		private final SlidingWindow window;

		private final Step next;

		WindowStep(int k, Step next) {
			this.window = new SlidingWindow(k);
			this.next = next;
		}

		@Override
		Object accept(Object item) {
			List<Object> completed = this.window.push(item);
			return (completed != null) ? this.next.accept(completed) : null;
		}

	}

	private static final class LastStep extends Step {

		@Override
		Object accept(Object value) {
			return value;
		}

	}

}
