package io.github.blllib;

/**
 * Runs a stage on the consuming thread at the moment it pulls, dropping null outputs. Nothing is
 * handed to another thread, so it keeps no in-flight count and only samples its timing.
 */
final class InMasterStageNode extends RunNode {

	private static final int SUCCEEDED = 0;

	private static final int DROPPED = 1;

	private static final int FAILED = 2;

	private final String pipeline;

	private final RunNode upstream;

	private final Stage<Object, Object> stage;

	private final StageCounters counters;

	private long index;

	@SuppressWarnings("unchecked")
	InMasterStageNode(String pipeline, RunNode upstream, StageCounters counters) {
		this.pipeline = pipeline;
		this.upstream = upstream;
		this.stage = (Stage<Object, Object>) counters.spec().stage();
		this.counters = counters;
	}

	@Override
	void beforeWait() {
		this.upstream.beforeWait();
	}

	@Override
	Object poll() {
		while (true) {
			Object input = this.upstream.poll();
			if (input == NOT_READY || input == END) {
				return input;
			}
			Object output = this.counters.shouldTimeMasterCall() ? applyTimed(input) : apply(input);
			if (output != null) {
				return output;
			}
		}
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
		long position = this.index++;
		Object output;
		try {
			output = this.stage.apply(input);
		}
		catch (Throwable ex) {
			this.counters.masterCallFinished(FAILED);
			throw new PipelineException(this.pipeline, this.counters.stage(), position, ex);
		}
		this.counters.masterCallFinished((output != null) ? SUCCEEDED : DROPPED);
		return output;
	}

}
