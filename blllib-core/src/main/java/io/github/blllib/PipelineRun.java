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

	/** Ends the run; idempotent. */
	@Override
	void close();

}
