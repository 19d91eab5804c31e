package io.github.blllib;

/** Runs a stage on the consuming thread at the moment it pulls, dropping null outputs. */
final class InMasterStageNode extends RunNode {

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
	Object poll() {
		while (true) {
			Object input = this.upstream.poll();
			if (input == NOT_READY || input == END) {
				return input;
			}
			long position = this.index++;
			this.counters.inFlight(1);
			this.counters.threadStarted();
			long start = System.nanoTime();
			Object output;
			try {
				output = this.stage.apply(input);
			}
			catch (Throwable ex) {
				this.counters.finished(0, 0, 1, System.nanoTime() - start);
				throw new PipelineException(this.pipeline, this.counters.stage(), position, ex);
			}
			finally {
				this.counters.threadEnded();
				this.counters.inFlight(0);
			}
			if (output == null) {
				this.counters.finished(0, 1, 0, System.nanoTime() - start);
				continue;
			}
			this.counters.finished(1, 0, 0, System.nanoTime() - start);
			return output;
		}
	}

}
