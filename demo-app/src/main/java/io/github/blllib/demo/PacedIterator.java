package io.github.blllib.demo;

import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands out the items of another iterator no faster than a given number per second, on
 * schedule from the first item, so that a job lasts long enough to watch.
 */
final class PacedIterator<T> implements Iterator<T> {

	/** Items ahead of schedule by less than this go without waiting, to keep parking rare. */
	private static final long SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

	private final Iterator<T> items;

	private final double nanosPerItem;

	private long start;

	private long handedOut;

	private PacedIterator(Iterator<T> items, int itemsPerSecond) {
		this.items = items;
		this.nanosPerItem = 1e9 / itemsPerSecond;
	}

	/** {@code items} at most {@code itemsPerSecond} a second, or unpaced when it is 0. */
	static <T> Iterator<T> of(Iterator<T> items, int itemsPerSecond) {
		return (itemsPerSecond > 0) ? new PacedIterator<>(items, itemsPerSecond) : items;
	}

	@Override
	public boolean hasNext() {
		return this.items.hasNext();
	}

	@Override
	public T next() {
		if (this.handedOut == 0) {
			this.start = System.nanoTime();
		}
		long due = this.start + (long) (this.handedOut * this.nanosPerItem);
		long early = due - System.nanoTime();
		while (early > SLACK_NANOS) {
			LockSupport.parkNanos(early);
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				break;
			}
			early = due - System.nanoTime();
		}
		this.handedOut++;
		return this.items.next();
	}

}
