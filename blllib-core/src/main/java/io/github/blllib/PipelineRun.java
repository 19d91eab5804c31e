package io.github.blllib;

import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One lazy pass of inputs through a {@link Pipeline}: an iterator of outputs in input order.
 * Nothing is read or computed before the first {@link #hasNext()}. A stage failure surfaces
 * from {@code hasNext()}/{@code next()} as a {@link PipelineException}. Close it (or its
 * {@link #stream()}) to stop early: in-flight work is cancelled and threads are released.
 * Iterate it from one thread at a time; {@link #close()} may be called from any thread.
 *
 * @param <O> output type
 */
public interface PipelineRun<O> extends Iterator<O>, AutoCloseable {

	/** The remaining outputs as a sequential ordered stream; closing the stream closes the run. */
	default Stream<O> stream() {
		Spliterator<O> spliterator = Spliterators.spliteratorUnknownSize(this,
				Spliterator.ORDERED | Spliterator.NONNULL);
		return StreamSupport.stream(spliterator, false).onClose(this::close);
	}

	/**
	 * The index (0-based, in the input as read, nulls included) of the earliest input that any
	 * output not yet handed to the consumer depends on, through stateless, window and async
	 * stages, drops ({@code null}), skips and windows: a window depends on its first item. It is
	 * 0 before the first {@link #next()}, the number of inputs read once the run is exhausted,
	 * and never decreases. For deterministic stages without state, running the pipeline on
	 * {@code inputs[position()..]} gives exactly the outputs not yet delivered, so a job that
	 * stores it with each delivered output, in the same transaction, can restart from it without
	 * losing or duplicating anything. A stateful stage is treated as if its output depended on
	 * its current input only: its state is not replayed. Read it from the consuming thread;
	 * another thread may see a value that lags.
	 */
	long position();

	/** Ends the run; idempotent. */
	@Override
	void close();

}
