package io.github.blllib.benchmarks;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The integers {@code 0 .. n-1}, boxed lazily as they are read, as a pipeline input. */
final class IntRange implements Iterable<Integer> {

	private final int n;

	IntRange(int n) {
		this.n = n;
	}

	@Override
	public Iterator<Integer> iterator() {
		return new Iterator<>() {

			private int next;

			@Override
			public boolean hasNext() {
				return this.next < IntRange.this.n;
			}

			@Override
			public Integer next() {
				if (this.next >= IntRange.this.n) {
					throw new NoSuchElementException();
				}
				return this.next++;
			}

		};
	}

}
