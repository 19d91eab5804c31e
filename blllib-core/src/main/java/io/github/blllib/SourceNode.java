package io.github.blllib;

import java.util.Iterator;

/**
 * Reads the run's input on the consuming thread, dropping nulls; a failure of the input
 * iterator, checked exceptions thrown sneakily included, is reported as stage
 * {@value StageSpec#SOURCE} with the position of the input it failed to read.
 */
final class SourceNode extends RunNode {

	private final String pipeline;

	private final Iterable<?> inputs;

	private Iterator<?> iterator;

	/** Inputs read, nulls included. */
	private long index;

	private boolean ended;

	SourceNode(String pipeline, Iterable<?> inputs) {
		this.pipeline = pipeline;
		this.inputs = inputs;
	}

	@Override
	Object poll() {
		if (this.ended) {
			return END;
		}
		try {
			if (this.iterator == null) {
				this.iterator = this.inputs.iterator();
			}
			while (this.iterator.hasNext()) {
				Object item = this.iterator.next();
				this.index++;
				if (item != null) {
					return item;
				}
			}
		}
		catch (Throwable ex) {
			this.ended = true;
			throw new PipelineException(this.pipeline, StageSpec.SOURCE, this.index, ex);
		}
		this.ended = true;
		return END;
	}

}
