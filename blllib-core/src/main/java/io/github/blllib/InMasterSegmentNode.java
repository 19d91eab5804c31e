package io.github.blllib;

import java.util.List;

/**
 * Consecutive stages that run on the consuming thread, at the moment it pulls: each upstream
 * item goes through them in one tight loop (windows formed on the way) until a stage drops it
 * or it comes out of the last one. Nothing is handed to another thread, so these stages keep no
 * in-flight count and only sample their timing; a sequential pipeline is one such segment.
 */
final class InMasterSegmentNode extends RunNode {

	private final String pipeline;

	private final RunNode upstream;

	private final Stage<Object, Object>[] stages;

	private final StageCounters[] counters;

	private final SlidingWindow[] windows;


	@SuppressWarnings("unchecked")
	InMasterSegmentNode(String pipeline, RunNode upstream, List<StageCounters> counters) {
		this.pipeline = pipeline;
		this.upstream = upstream;
		int count = counters.size();
		this.stages = new Stage[count];
		this.counters = counters.toArray(new StageCounters[0]);
		this.windows = new SlidingWindow[count];
		for (int i = 0; i < count; i++) {
			StageSpec<?, ?> spec = this.counters[i].spec();
			this.stages[i] = (Stage<Object, Object>) spec.stage();
			if (spec.kind() == StageKind.WINDOW) {
				this.windows[i] = new SlidingWindow(spec.window());
			}
		}
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
			Object output = throughStages(item);
			if (output != null) {
				return output;
			}
		}
	}

	/** The item's output from the last stage, or null when a window is not full yet or a stage dropped it. */
	private Object throughStages(Object item) {
		Object value = item;
		for (int i = 0; i < this.stages.length; i++) {
			SlidingWindow window = this.windows[i];
			if (window != null) {
				value = window.push(value);
				if (value == null) {
					return null;
				}
			}
			StageCounters counters = this.counters[i];
			value = counters.shouldTimeMasterCall() ? applyTimed(i, value) : apply(i, value);
			if (value == null) {
				return null;
			}
		}
		return value;
	}

	private Object applyTimed(int stage, Object input) {
		long start = System.nanoTime();
		try {
			return apply(stage, input);
		}
		finally {
			this.counters[stage].masterCallTimed(System.nanoTime() - start);
		}
	}

	private Object apply(int stage, Object input) {
		StageCounters counters = this.counters[stage];
		long position = counters.masterCallStarted();
		Object output;
		try {
			output = this.stages[stage].apply(input);
		}
		catch (Throwable ex) {
			counters.masterCallFailed();
			throw new PipelineException(this.pipeline, counters.stage(), position, ex);
		}
		if (output == null) {
			counters.masterCallDropped();
		}
		return output;
	}

}
