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
		Iterator<?> inputs = this.iterator;
		if (inputs == null) {
			return firstPoll();
		}
		try {
			while (inputs.hasNext()) {
				Object item = inputs.next();
				this.index++;
				if (item != null) {
					return item;
				}
			}
		}
		catch (Throwable ex) {
			throw failed(ex);
		}
		return ended();
	}

	@Override
	long handedOrigin() {
		return this.index - 1;
	}

	/** Inputs read, nulls included: the first input not read yet. */
	@Override
	long heldOrigin() {
		return this.index;
	}

	/** The first poll opens the input; a poll after the end finds nothing. */
	private Object firstPoll() {
		if (this.ended) {
			return END;
		}
		try {
			this.iterator = this.inputs.iterator();
		}
		catch (Throwable ex) {
			throw failed(ex);
		}
		return poll();
	}

	private Object ended() {
		this.ended = true;
		this.iterator = null;
		return END;
	}

	private PipelineException failed(Throwable ex) {
		ended();
		return new PipelineException(this.pipeline, StageSpec.SOURCE, this.index, ex);
	}

}
