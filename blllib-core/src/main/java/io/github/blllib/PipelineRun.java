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
	 * Where to resume this run's input after a crash: the index (0-based, counting the inputs
	 * read, nulls included) of the earliest input that an output not handed out yet by
	 * {@link #next()} depends on, through drops, skips and windows (a window depends on its first
	 * item). An output {@link #hasNext()} fetched but {@code next()} did not return is not handed
	 * out. 0 until the first {@code next()}; the number of inputs read once the run is
	 * exhausted; it never decreases, and never exceeds the inputs read.
	 * <p>
	 * For stages that are deterministic and keep no state, running the pipeline on the inputs from
	 * this index on yields exactly the outputs not handed out yet: store the position with each
	 * output, in the same transaction, and restart from the stored one to lose and repeat nothing.
	 * A stateful stage counts as depending on its current input only; its state is not replayed.
	 * <p>
	 * Exact on the consuming thread; another thread reads a value that may lag behind.
	 */
	long position();

	/** Ends the run; idempotent. */
	@Override
	void close();

}
