package io.github.blllib;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An input that counts what is read from it: endless unless given a length, and able to check
 * on every read that no more than {@code bound} items are read ahead of what the consumer took.
 */
final class CountingSource implements Iterable<Integer> {

	final AtomicInteger iteratorCalls = new AtomicInteger();

	final AtomicLong reads = new AtomicLong();

	final AtomicLong consumed = new AtomicLong();

	final AtomicLong maxAhead = new AtomicLong();

	private final long length;

	CountingSource(long length) {
		this.length = length;
	}

	static CountingSource endless() {
		return new CountingSource(Long.MAX_VALUE);
	}

	/** Called by the test's consumer for every output it takes. */
	void took() {
		this.consumed.incrementAndGet();
	}

	@Override
	public Iterator<Integer> iterator() {
		this.iteratorCalls.incrementAndGet();
		return new Iterator<>() {

			@Override
			public boolean hasNext() {
				return CountingSource.this.reads.get() < CountingSource.this.length;
			}

			@Override
			public Integer next() {
				long read = CountingSource.this.reads.incrementAndGet();
				CountingSource.this.maxAhead.accumulateAndGet(read - CountingSource.this.consumed.get(), Math::max);
				return (int) ((read - 1) % 1_000_000);
			}

		};
	}

}
